module image-size-gate/go-gzip-size

go 1.19
