// Prints how many bytes Go's compress/gzip at its default level makes of stdin: what BuildKit pushes.
package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
)

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

func main() {
	c := &counter{}
	w, err := gzip.NewWriterLevel(c, gzip.DefaultCompression)
	if err == nil {
		_, err = io.Copy(w, os.Stdin)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(c.n)
}
