package hips

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/skyglass/skyglass/internal/healpix"
)

// Tile is a fetched tile: its decoded image, or Empty when the server has no
// such tile (404: outside the HiPS coverage).
type Tile struct {
	ID     TileID
	Format Format
	Image  *Image // nil when Empty
	Empty  bool
}

// Bytes is the cache size of the tile (a small constant for empty tiles so
// that millions of 404s stay bounded too).
func (t *Tile) Bytes() int64 { return 64 + t.Image.Bytes() }

// SurveyOptions configures OpenSurvey.
type SurveyOptions struct {
	// Format to fetch; "" chooses with PreferredFormat (FITS when WantData).
	Format   Format
	WantData bool
	// CacheBytes bounds the decoded tiles kept (unpinned); 0: 256 MB.
	CacheBytes int64
	Queue      QueueOptions
	// Coverage filters tiles; nil: read Moc.fits when the HiPS has one
	// (NoMOC: never).
	Coverage Coverage
	NoMOC    bool
	// Frame is the cube frame to read (0 for images).
	Frame int
}

// Survey is an opened HiPS for the CPU path: its properties and a cache of
// decoded tiles, filled on demand through the fetch queue. Tiles of orders
// ≤ 3 are pinned in the cache (up to the cache budget). It is safe for
// concurrent use.
type Survey struct {
	Props    *Properties
	Fetcher  Fetcher
	Format   Format
	Frame    Frame
	Order    int // hips_order
	OrderMin int // hips_order_min
	Width    int // hips_tile_width
	Coverage Coverage
	// MOC is the coverage read from Moc.fits (nil when absent or unreadable);
	// MOCError says why it could not be used (a missing Moc.fits is not an
	// error). A broken Moc.fits does not stop the survey: tiles are then
	// fetched without filtering.
	MOC      *healpix.MOC
	MOCError error
	opt      SurveyOptions
	pinCap   int64
	cache    *Cache[TileID, *Tile]
}

// OpenSurvey reads the properties of the HiPS behind f (and its Moc.fits,
// unless opt.Coverage or opt.NoMOC is set) and prepares tile access.
func OpenSurvey(ctx context.Context, f Fetcher, opt SurveyOptions) (*Survey, error) {
	p, err := LoadProperties(ctx, f)
	if err != nil {
		return nil, err
	}
	s, err := NewSurvey(p, f, opt)
	if err != nil {
		return nil, err
	}
	if opt.Coverage == nil && !opt.NoMOC {
		s.MOC, s.MOCError = LoadMOC(ctx, f)
		if s.MOC != nil {
			if fr := s.MOC.Frame(); fr != "" {
				if mf, err := ParseFrame(fr); err != nil || mf != s.Frame {
					s.MOCError = fmt.Errorf("hips: Moc.fits is in frame %q, the HiPS in %s: coverage ignored", fr, s.Frame)
					s.MOC = nil
				}
			}
		}
		if s.MOC != nil {
			s.Coverage = s.MOC
		}
	}
	return s, nil
}

// LoadMOC fetches and reads Moc.fits. A missing file gives (nil, nil).
func LoadMOC(ctx context.Context, f Fetcher) (*healpix.MOC, error) {
	b, err := f.Fetch(ctx, "Moc.fits")
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("hips: Moc.fits: %w", err)
	}
	m, err := healpix.ReadMOC(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("hips: Moc.fits: %w", err)
	}
	return m, nil
}

// NewSurvey prepares tile access for parsed properties.
func NewSurvey(p *Properties, f Fetcher, opt SurveyOptions) (*Survey, error) {
	if err := p.CheckTyped(); err != nil {
		return nil, err
	}
	s := &Survey{Props: p, Fetcher: f, opt: opt, Coverage: opt.Coverage}
	s.Order, _ = p.Order()
	s.OrderMin, _ = p.OrderMin()
	s.Width, _ = p.TileWidth()
	s.Frame, _ = p.Frame()
	s.Format = opt.Format
	if s.Format == "" {
		var ok bool
		s.Format, ok = PreferredFormat(p.Formats(), opt.WantData)
		if !ok {
			return nil, fmt.Errorf("hips: %s: no image tile format in hips_tile_format %q", p.Title(), p.String("hips_tile_format"))
		}
	} else if !p.HasFormat(s.Format) {
		return nil, fmt.Errorf("hips: %s: tile format %s not in hips_tile_format %q", p.Title(), s.Format, p.String("hips_tile_format"))
	}
	if !s.Format.IsImage() {
		return nil, fmt.Errorf("hips: %s: %s tiles are not images", p.Title(), s.Format)
	}
	if opt.CacheBytes <= 0 {
		opt.CacheBytes = 256 << 20
	}
	s.cache = NewCache[TileID, *Tile](opt.CacheBytes, (*Tile).Bytes)
	s.pinCap = opt.CacheBytes
	return s, nil
}

// Cached returns a tile if it is in the cache.
func (s *Survey) Cached(id TileID) (*Tile, bool) { return s.cache.Get(id) }

// Cache exposes the decoded-tile cache (for statistics and tests).
func (s *Survey) Cache() *Cache[TileID, *Tile] { return s.cache }

// TileError names a tile that could not be fetched or decoded.
type TileError struct {
	ID   TileID
	Path string
	Err  error
}

// Error names the tile, its path and the cause.
func (e *TileError) Error() string { return fmt.Sprintf("hips tile %s (%s): %v", e.ID, e.Path, e.Err) }

// Unwrap returns the cause.
func (e *TileError) Unwrap() error { return e.Err }

// Tiles returns the requested tiles, fetching and decoding the missing ones
// (at most QueueOptions.MaxInFlight at a time). Tiles outside the coverage
// and 404s are Empty. Tiles that fail (bad bytes, wrong size, server errors
// after retries) are left out of the map and reported together in the error,
// so a caller can draw what it has.
func (s *Survey) Tiles(ctx context.Context, ids []TileID) (map[TileID]*Tile, error) {
	out := make(map[TileID]*Tile, len(ids))
	var reqs []Request
	for _, id := range ids {
		if _, dup := out[id]; dup {
			continue
		}
		if !id.Valid() {
			return nil, fmt.Errorf("hips: invalid tile %v", id)
		}
		if t, ok := s.cache.Get(id); ok {
			out[id] = t
			continue
		}
		if s.Coverage != nil && !s.Coverage.Contains(id.Order, id.Pix) {
			t := &Tile{ID: id, Format: s.Format, Empty: true}
			s.put(t)
			out[id] = t
			continue
		}
		out[id] = nil
		reqs = append(reqs, Request{ID: id, Path: id.Path(s.Format)})
	}
	res, err := FetchAll(ctx, s.Fetcher, s.opt.Queue, reqs)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, r := range res {
		if r.Err != nil {
			delete(out, r.ID)
			errs = append(errs, &TileError{ID: r.ID, Path: r.Path, Err: r.Err})
			continue
		}
		t := &Tile{ID: r.ID, Format: s.Format}
		if r.NotFound {
			t.Empty = true
		} else {
			im, err := DecodeTile(r.Data, s.Format, s.Width)
			if err != nil {
				delete(out, r.ID)
				errs = append(errs, &TileError{ID: r.ID, Path: r.Path, Err: err})
				continue
			}
			t.Image = im
		}
		s.put(t)
		out[r.ID] = t
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return out, errors.Join(errs...)
}

// put caches a tile; tiles of orders ≤ 3 are pinned while the pinned bytes
// stay within the cache budget (768 order-3 tiles of 512² float32 would be
// 800 MB: beyond the budget they are cached like the others).
func (s *Survey) put(t *Tile) {
	pin := t.ID.Order <= 3 && s.cache.PinnedBytes()+t.Bytes() <= s.pinCap
	s.cache.Put(t.ID, t, pin)
}

// LoadAllsky fetches Norder{order}/Allsky.{ext}, splits it and caches its
// pieces as the tiles of that order (pinned), unless they are cached
// already. The pieces are at the Allsky's reduced resolution (e.g. 64 pixels
// for 512-pixel tiles): they are for previews and fallbacks, so they are
// cached under the same IDs only when they have the full tile width; the
// pieces are returned in all cases. A missing Allsky gives ErrNotFound.
func (s *Survey) LoadAllsky(ctx context.Context, order int) ([]*Image, error) {
	path := AllskyPath(order, s.opt.Frame, s.Format)
	b, err := s.Fetcher.Fetch(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("hips allsky %s: %w", path, err)
	}
	all, err := DecodeImage(b, s.Format)
	if err != nil {
		return nil, fmt.Errorf("hips allsky %s: %w", path, err)
	}
	pieces, err := SplitAllsky(all, order)
	if err != nil {
		return nil, fmt.Errorf("hips allsky %s: %w", path, err)
	}
	if pieces[0].Width == s.Width {
		for i, im := range pieces {
			id := TileID{Order: order, Pix: int64(i), Frame: s.opt.Frame}
			if !s.cache.Contains(id) {
				s.put(&Tile{ID: id, Format: s.Format, Image: im})
			}
		}
	}
	return pieces, nil
}
