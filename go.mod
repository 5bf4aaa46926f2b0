module github.com/skyglass/skyglass

go 1.26
