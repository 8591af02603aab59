// Starts the one store and its socket before the first render, so nothing waits on React to connect.
// zod's jitless setting comes first: imports run in order, and the ones below build schemas.
import './zod-jitless.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptTokenFromAddress } from './page-token.ts';
import { App } from './app.tsx';
import { EventStore, StoreContext, ViewPacer, liveSocketUrl } from './stream/event-store.ts';
import { linkedSessionUrl } from './session/view-link.ts';
import { TokenGate } from './views/token-required.tsx';
import './styles.css';

// The token leaves the address bar before anything else reads it or writes the address.
adoptTokenFromAddress();
const store = new EventStore(liveSocketUrl());
// A page opened on a session file (`?session=`) shows that file, offline: no live socket unless the file fails.
if (linkedSessionUrl() === null) store.start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <ViewPacer />
      <TokenGate>
        <App />
      </TokenGate>
    </StoreContext.Provider>
  </StrictMode>,
);
