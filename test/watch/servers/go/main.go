// A Go echo server as the tutorial writes it, with a configurable port and buffer: one goroutine per
// connection, conn.Read(buf) and "Received: N". Usage: server PORT BUFFER (PORT 0 picks one; prints
// "listening PORT").
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
)

func main() {
	size, _ := strconv.Atoi(os.Args[2])
	ln, err := net.Listen("tcp", "127.0.0.1:"+os.Args[1])
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("listening", ln.Addr().(*net.TCPAddr).Port)
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go func(c net.Conn) {
			defer c.Close()
			buf := make([]byte, size)
			for {
				n, err := c.Read(buf)
				if err != nil {
					return
				}
				c.Write([]byte("Received: " + strconv.Itoa(n)))
			}
		}(conn)
	}
}
