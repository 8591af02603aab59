// Load generator for the bench, in C so that on a small machine it spends as little CPU as possible
// and the server under test is what limits each figure. The bench compiles it with `cc` at run time
// and falls back to loadgen.ts (same arguments, same output) when there is no compiler.
//
//   loadgen stream   HOST PORT CONNS BYTES_PER_CONN REPLY HOLD [MAX_SECONDS]
//   loadgen pingpong HOST PORT COUNT SIZE WARMUP
//
// stream: opens CONNS connections, then sends BYTES_PER_CONN on each at once (epoll, non-blocking).
//   REPLY none: after the last byte, shut down writing and wait for the server's EOF, so the clock
//   stops only when the server has read everything. REPLY echo: also read every echoed byte back.
//   REPLY ack: read the `Received: N` replies and add up their N; at EOF the sum must equal the bytes
//   sent (the server answered every byte it read), and the result carries it as ackedBytes.
//   HOLD 1 (echo only): when every byte has come back, print the result, keep the connections open
//   until stdin closes or gives a line, then close them. MAX_SECONDS (0: none) stops sending early on
//   a slow server, so that every run takes bounded time: the result says how many bytes went.
// pingpong: one connection, TCP_NODELAY; COUNT times write SIZE bytes and wait for SIZE bytes back.
// Prints one JSON line on stdout. Loopback only: HOST must be 127.0.0.1 or ::1.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (256 * 1024)

static unsigned char out_buf[CHUNK];
static unsigned char in_buf[CHUNK];

static void die(const char *what) {
  fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
  exit(1);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int connect_to(const char *host, int port, int nodelay) {
  struct sockaddr_storage ss;
  socklen_t len;
  memset(&ss, 0, sizeof ss);
  if (strcmp(host, "127.0.0.1") == 0) {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host, &a->sin_addr);
    len = sizeof *a;
  } else if (strcmp(host, "::1") == 0) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t)port);
    inet_pton(AF_INET6, host, &a->sin6_addr);
    len = sizeof *a;
  } else {
    fprintf(stderr, "loadgen: host must be 127.0.0.1 or ::1\n");
    exit(2);
  }
  int fd = socket(ss.ss_family, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  if (nodelay) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  if (connect(fd, (struct sockaddr *)&ss, len) < 0) die("connect");
  return fd;
}

static int local_port(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) return 0;
  if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
  return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

struct conn {
  int fd;
  uint64_t target, sent, received;
  int shut, eof, done;
  /* ack: the sum of the N of complete `Received: N` replies, and the number being read. */
  uint64_t acked, acc;
  int in_num;
};

/* Replies are `Received: N` with no separator: a number ends where the next reply's text starts. */
static void scan_acks(struct conn *c, const unsigned char *p, ssize_t n) {
  for (ssize_t i = 0; i < n; i++) {
    unsigned char ch = p[i];
    if (ch >= '0' && ch <= '9') {
      c->acc = c->acc * 10 + (uint64_t)(ch - '0');
      c->in_num = 1;
    } else if (c->in_num) {
      c->acked += c->acc;
      c->acc = 0;
      c->in_num = 0;
    }
  }
}

static int run_stream(const char *host, int port, int nconns, uint64_t per_conn, int echo, int ack, int hold, double max_s) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  for (int i = 0; i < CHUNK; i++) out_buf[i] = (unsigned char)('a' + i % 26);
  struct conn *conns = calloc((size_t)nconns, sizeof *conns);
  if (!conns) die("calloc");
  int ep = epoll_create1(0);
  if (ep < 0) die("epoll_create1");
  uint64_t t_connect = now_ns();
  for (int i = 0; i < nconns; i++) {
    // A pause every 128 connects lets the server accept them: a full accept queue drops SYNs, and a
    // dropped SYN costs a whole second before the kernel tries again.
    if (i > 0 && i % 128 == 0) {
      struct timespec pause = {0, 10 * 1000 * 1000};
      nanosleep(&pause, NULL);
    }
    conns[i].fd = connect_to(host, port, 0);
    fcntl(conns[i].fd, F_SETFL, fcntl(conns[i].fd, F_GETFL) | O_NONBLOCK);
  }
  int first_port = local_port(conns[0].fd);
  uint64_t t0 = now_ns();
  uint64_t deadline = max_s > 0 ? t0 + (uint64_t)(max_s * 1e9) : UINT64_MAX;
  int stopped_early = 0;
  for (int i = 0; i < nconns; i++) {
    conns[i].target = per_conn;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.u32 = (uint32_t)i};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev) < 0) die("epoll_ctl");
  }
  int remaining = nconns;
  struct epoll_event evs[256];
  while (remaining > 0) {
    int n = epoll_wait(ep, evs, 256, 30000);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait");
    }
    if (n == 0) {
      fprintf(stderr, "loadgen: no progress for 30 s\n");
      return 1;
    }
    if (!stopped_early && now_ns() > deadline) {
      // Out of time: each connection ends with what it has sent so far.
      stopped_early = 1;
      for (int i = 0; i < nconns; i++) {
        struct conn *c = &conns[i];
        if (c->done || c->sent == c->target) continue;
        c->target = c->sent;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        if (!hold) {
          shutdown(c->fd, SHUT_WR);
          c->shut = 1;
        }
      }
    }
    for (int k = 0; k < n; k++) {
      struct conn *c = &conns[evs[k].data.u32];
      if (c->done) continue;
      if ((evs[k].events & EPOLLOUT) && c->sent < c->target) {
        for (;;) {
          uint64_t left = c->target - c->sent;
          ssize_t w = write(c->fd, out_buf, left < CHUNK ? (size_t)left : CHUNK);
          if (w < 0) {
            if (errno == EAGAIN) break;
            die("write");
          }
          c->sent += (uint64_t)w;
          if (c->sent == c->target) break;
        }
        if (c->sent == c->target) {
          struct epoll_event ev = {.events = EPOLLIN, .data.u32 = evs[k].data.u32};
          epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
          if (!hold) {
            shutdown(c->fd, SHUT_WR);
            c->shut = 1;
          }
        }
      }
      if (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        for (;;) {
          ssize_t r = read(c->fd, in_buf, CHUNK);
          if (r < 0) {
            if (errno == EAGAIN) break;
            die("read");
          }
          if (r == 0) {
            c->eof = 1;
            if (c->in_num) {
              c->acked += c->acc;
              c->acc = 0;
              c->in_num = 0;
            }
            break;
          }
          c->received += (uint64_t)r;
          if (ack) scan_acks(c, in_buf, r);
        }
      }
      int finished = hold ? (c->sent == c->target && c->received >= c->target) : c->eof;
      if (c->eof && c->sent < c->target) {
        fprintf(stderr, "loadgen: server closed after %llu of %llu bytes\n", (unsigned long long)c->sent,
                (unsigned long long)c->target);
        return 1;
      }
      if (c->eof && echo && c->received != c->sent) {
        fprintf(stderr, "loadgen: %llu bytes echoed for %llu sent\n", (unsigned long long)c->received,
                (unsigned long long)c->sent);
        return 1;
      }
      if (c->eof && ack && c->acked != c->sent) {
        fprintf(stderr, "loadgen: replies acknowledged %llu bytes for %llu sent\n", (unsigned long long)c->acked,
                (unsigned long long)c->sent);
        return 1;
      }
      if (finished) {
        c->done = 1;
        remaining--;
        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
      }
    }
  }
  uint64_t t1 = now_ns();
  uint64_t sent = 0, received = 0, acked = 0;
  for (int i = 0; i < nconns; i++) {
    sent += conns[i].sent;
    received += conns[i].received;
    acked += conns[i].acked;
  }
  printf("{\"impl\":\"c\",\"conns\":%d,\"bytesSent\":%llu,\"bytesReceived\":%llu,\"ackedBytes\":%llu,\"elapsedNs\":%llu,"
         "\"connectNs\":%llu,\"localPort\":%d,\"stoppedEarly\":%s}\n",
         nconns, (unsigned long long)sent, (unsigned long long)received, (unsigned long long)acked, (unsigned long long)(t1 - t0),
         (unsigned long long)(t0 - t_connect), first_port, stopped_early ? "true" : "false");
  fflush(stdout);
  if (hold) {
    char line[16];
    ssize_t r;
    while ((r = read(0, line, sizeof line)) > 0 && memchr(line, '\n', (size_t)r) == NULL) {
    }
  }
  for (int i = 0; i < nconns; i++) close(conns[i].fd);
  return 0;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static uint64_t rank(const uint64_t *sorted, int n, double q) {
  int i = (int)(q * n + 0.999999) - 1; // nearest rank
  if (i < 0) i = 0;
  if (i >= n) i = n - 1;
  return sorted[i];
}

static int run_pingpong(const char *host, int port, int count, int size, int warmup) {
  if (size < 1 || size > CHUNK) size = 7;
  for (int i = 0; i < size; i++) out_buf[i] = (unsigned char)('a' + i % 26);
  int fd = connect_to(host, port, 1);
  uint64_t *rtt = malloc(sizeof(uint64_t) * (size_t)count);
  if (!rtt) die("malloc");
  uint64_t sum = 0;
  for (int i = -warmup; i < count; i++) {
    uint64_t t0 = now_ns();
    if (write(fd, out_buf, (size_t)size) != size) die("write");
    int got = 0;
    while (got < size) {
      ssize_t r = read(fd, in_buf, (size_t)(size - got));
      if (r <= 0) {
        if (r == 0) errno = ECONNRESET;
        die("read");
      }
      got += (int)r;
    }
    uint64_t d = now_ns() - t0;
    if (i >= 0) {
      rtt[i] = d;
      sum += d;
    }
  }
  close(fd);
  qsort(rtt, (size_t)count, sizeof *rtt, cmp_u64);
  printf("{\"impl\":\"c\",\"count\":%d,\"p50Ns\":%llu,\"p90Ns\":%llu,\"p99Ns\":%llu,\"p999Ns\":%llu,"
         "\"maxNs\":%llu,\"meanNs\":%llu}\n",
         count, (unsigned long long)rank(rtt, count, 0.5), (unsigned long long)rank(rtt, count, 0.9),
         (unsigned long long)rank(rtt, count, 0.99), (unsigned long long)rank(rtt, count, 0.999),
         (unsigned long long)rtt[count - 1], (unsigned long long)(sum / (uint64_t)count));
  free(rtt);
  return 0;
}

int main(int argc, char **argv) {
  if ((argc == 8 || argc == 9) && strcmp(argv[1], "stream") == 0) {
    int echo = strcmp(argv[6], "echo") == 0;
    int ack = strcmp(argv[6], "ack") == 0;
    int hold = atoi(argv[7]) != 0;
    if (hold && !echo) {
      fprintf(stderr, "loadgen: HOLD needs REPLY echo\n");
      return 2;
    }
    int n = atoi(argv[4]);
    uint64_t bytes = strtoull(argv[5], NULL, 10);
    if (n < 1 || bytes < 1) return 2;
    return run_stream(argv[2], atoi(argv[3]), n, bytes, echo, ack, hold, argc == 9 ? atof(argv[8]) : 0);
  }
  if (argc == 7 && strcmp(argv[1], "pingpong") == 0) {
    int count = atoi(argv[4]);
    if (count < 1) return 2;
    return run_pingpong(argv[2], atoi(argv[3]), count, atoi(argv[5]), atoi(argv[6]));
  }
  fprintf(stderr,
          "usage: loadgen stream HOST PORT CONNS BYTES_PER_CONN none|echo|ack HOLD [MAX_SECONDS]\n"
          "       loadgen pingpong HOST PORT COUNT SIZE WARMUP\n");
  return 2;
}
