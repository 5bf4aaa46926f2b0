//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"io"
	"syscall/js"
)

// blobReader reads a JavaScript Blob (a File) lazily: each ReadAt asks for
// blob.slice(off, off+len).arrayBuffer() and waits for it. It must be used
// from a goroutine other than the one running a JavaScript callback (the
// wait lets the browser's event loop run).
type blobReader struct {
	blob js.Value
	size int64
	name string
}

func (b *blobReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("%s: read at negative offset %d", b.name, off)
	}
	if off >= b.size {
		return 0, io.EOF
	}
	end := min(off+int64(len(p)), b.size)
	type result struct {
		buf js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{buf: args[0]}
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "unknown error"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		ch <- result{err: fmt.Errorf("%s: reading bytes %d-%d: %s", b.name, off, end, msg)}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	b.blob.Call("slice", float64(off), float64(end)).Call("arrayBuffer").Call("then", then, catch)
	r := <-ch
	if r.err != nil {
		return 0, r.err
	}
	u8 := js.Global().Get("Uint8Array").New(r.buf)
	n := js.CopyBytesToGo(p, u8)
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// openBlobMethods: openFITSBlob(blob, name, hdu, plane, maxTexture) -> Promise
// of the image id (or {error}). The file is read lazily: headers, then only
// the chosen HDU's data.
func (vw *viewer) openBlob(a []js.Value) any {
	if len(a) < 1 || !a[0].InstanceOf(js.Global().Get("Blob")) {
		return errObj(errors.New("openFITS: not a Blob"))
	}
	blob := a[0]
	r := &blobReader{blob: blob, size: int64(blob.Get("size").Float()), name: argStr(a, 1)}
	opts := vw.imageOptions(a, r.name)
	return vw.promise(func() any {
		id, err := vw.v.OpenImage(r, r.size, opts)
		if err != nil {
			return errObj(err)
		}
		vw.uploadImage()
		return id
	})
}

// promise runs fn in a goroutine (it may wait for JavaScript promises) and
// returns a Promise of its result; panics become {error}.
func (vw *viewer) promise(fn func() any) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(_ js.Value, pa []js.Value) any {
		resolve := pa[0]
		executor.Release()
		go func() {
			var out any
			defer func() {
				if p := recover(); p != nil {
					out = errObj(fmt.Errorf("skyglass: internal error: %v", p))
				}
				if vw.dead {
					out = errObj(errors.New("skyglass: this viewer was destroyed"))
				}
				resolve.Invoke(out)
			}()
			out = fn()
		}()
		return nil
	})
	return js.Global().Get("Promise").New(executor)
}

// bytesReader reads a JavaScript Uint8Array in place: each ReadAt copies only
// the bytes asked for, so a file handed over whole (a URL's body, an
// ArrayBuffer) is not copied into Go before the FITS reader picks the HDU
// and plane it needs.
type bytesReader struct {
	arr  js.Value
	size int64
}

func (b *bytesReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("read at negative offset %d", off)
	}
	if off >= b.size {
		return 0, io.EOF
	}
	end := min(off+int64(len(p)), b.size)
	n := js.CopyBytesToGo(p[:end-off], b.arr.Call("subarray", off, end))
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
