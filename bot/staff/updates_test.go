package staff

import (
	"slices"
	"testing"
)

// Missing names the languages of the audience without a text, sorted; a
// language nobody of the audience speaks needs none, a blank text counts
// as none.
func TestMissing(t *testing.T) {
	tests := []struct {
		name     string
		texts    map[string]string
		audience map[string]int
		want     []string
	}{
		{"every text", map[string]string{"az": "a", "ru": "b"}, map[string]int{"az": 3, "ru": 1}, nil},
		{"two missing", map[string]string{"az": "a"}, map[string]int{"az": 3, "ru": 1, "fa": 2}, []string{"fa", "ru"}},
		{"blank text", map[string]string{"az": " \n"}, map[string]int{"az": 1}, []string{"az"}},
		{"nobody speaks it", map[string]string{}, map[string]int{"uz": 0}, nil},
		{"extra text", map[string]string{"az": "a", "en": "e"}, map[string]int{"az": 1}, nil},
	}
	for _, tt := range tests {
		if got := Missing(tt.texts, tt.audience); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
