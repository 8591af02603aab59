# The same server in asyncio's event-loop style: reads of at most BUFFER bytes, "Received: N" each.
# Usage: asyncio_server.py PORT BUFFER (PORT 0 picks one; prints "listening PORT").
import asyncio
import sys

port, size = int(sys.argv[1]), int(sys.argv[2])


async def serve(reader, writer):
    while True:
        data = await reader.read(size)
        if not data:
            break
        writer.write(b"Received: %d" % len(data))
        await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", port, limit=size)
    print("listening", server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


asyncio.run(main())
