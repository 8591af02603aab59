// Copy a payload as hex, an escaped string or a C array: the Clipboard API, and where the page may not
// use it (plain http on another host, a denied permission) a hidden textarea and execCommand.
import { useState } from 'react';
import { COPY_FORMATS, formatPayload, type CopyFormat } from './copy-format.ts';

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied or unavailable: fall back below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

export function CopyMenu({ bytes, what }: { bytes: Uint8Array | null; what: string }) {
  const [status, setStatus] = useState<string | null>(null);
  if (bytes === null) return null;
  const copy = async (format: CopyFormat, label: string) => {
    const ok = await copyText(formatPayload(bytes, format));
    setStatus(ok ? `copied ${bytes.length} B as ${label}` : 'the browser refused to copy');
  };
  return (
    <span className="copy-menu" role="group" aria-label={`Copy ${what}`}>
      <span className="muted">Copy {what}:</span>
      {COPY_FORMATS.map((f) => (
        <button key={f.format} type="button" data-testid={`copy-${f.format}`} aria-label={`Copy ${what} as ${f.label}`} onClick={() => void copy(f.format, f.label)}>
          {f.label}
        </button>
      ))}
      {status && (
        <span className="copy-status" role="status" data-testid="copy-status">
          {status}
        </span>
      )}
    </span>
  );
}
