package fits

import (
	"errors"
	"strings"
)

// keepInvalidCard decides what ParseHeader does with a card that parseCard
// rejected. A malformed non-string value is kept as a card without a value
// (KindNone, the card text in Raw) and recorded in h.Warnings; anything else
// (non-ASCII bytes, an unterminated string) is returned as the error.
func keepInvalidCard(h *Header, text string, off int64, err error) (Card, error) {
	var he *HeaderError
	if !errors.As(err, &he) || he.Key == "" {
		return Card{}, err
	}
	eq := strings.IndexByte(text, '=')
	if eq < 0 || strings.HasPrefix(strings.TrimLeft(text[eq+1:], " "), "'") {
		return Card{}, err
	}
	h.Warnings = append(h.Warnings, err.Error()+" (card kept without a value)")
	return Card{Key: he.Key, Kind: KindNone, Raw: text, Offset: off}, nil
}
