# A blocking-socket echo server in the tutorial's manner: one thread per connection, recv(BUFFER), reply
# "Received: N". Usage: blocking_server.py PORT BUFFER (PORT 0 picks one; prints "listening PORT").
import socket
import sys
import threading

port, size = int(sys.argv[1]), int(sys.argv[2])
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", port))
listener.listen(64)
print("listening", listener.getsockname()[1], flush=True)


def serve(conn):
    with conn:
        while True:
            data = conn.recv(size)
            if not data:
                return
            conn.sendall(b"Received: %d" % len(data))


while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
