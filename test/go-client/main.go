// The tutorial's client, carried in this repository so that the Go path is tested on any clone: it dials
// the echo server, writes Hello1\n (or Hello1\n..Hello3\n back to back, as the tutorial's second client
// does), reads one reply and prints it as the tutorial does (log.Println: "Received: N").
//
//	go build -o client ./test/go-client && ./client 127.0.0.1:5055 3
package main

import (
	"fmt"
	"log"
	"net"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) != 3 {
		log.Fatalf("usage: %s HOST:PORT WRITES", os.Args[0])
	}
	writes, err := strconv.Atoi(os.Args[2])
	if err != nil || writes < 1 {
		log.Fatalf("WRITES must be a positive integer, not %q", os.Args[2])
	}
	conn, err := net.Dial("tcp", os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	for i := 1; i <= writes; i++ {
		if _, err := conn.Write([]byte(fmt.Sprintf("Hello%d\n", i))); err != nil {
			log.Fatal(err)
		}
	}
	buf := make([]byte, 1024)
	n, err := conn.Read(buf)
	if err != nil {
		log.Fatal(err)
	}
	log.Println(string(buf[:n]))
}
