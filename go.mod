module github.com/skyglass/skyglass

go 1.26.0

require golang.org/x/image v0.47.0

require github.com/andybalholm/brotli v1.2.8
