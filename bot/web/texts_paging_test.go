package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// rowIDs lists the text IDs of a texts page, in order.
func rowIDs(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<tr id="t-([^"]+)">`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestTextsPaging: the Persian texts come a page at a time (keyset by ID,
// the filter kept in the links), pages do not overlap and together list
// every text once; a save on a later page comes back to that page; a
// made-up "after" shows the first page.
func TestTextsPaging(t *testing.T) {
	e := newContentEnv(t)
	tia := e.signIn("tia")
	for _, filter := range []string{"all", "unreviewed"} {
		seen := map[string]bool{}
		next := "/console/texts?lang=fa&filter=" + filter
		pages := 0
		for next != "" {
			r := tia.get(next)
			if r.code != http.StatusOK {
				t.Fatalf("%s: %d", next, r.code)
			}
			if pages == 0 && filter == "all" {
				t.Logf("first Persian page: %d bytes", len(r.body))
			}
			ids := rowIDs(r.body)
			if len(ids) == 0 || len(ids) > 100 {
				t.Fatalf("%s: %d rows, want 1 to 100", next, len(ids))
			}
			for _, id := range ids {
				if seen[id] {
					t.Errorf("%s: %s shown twice", filter, id)
				}
				seen[id] = true
			}
			pages++
			next = ""
			if m := regexp.MustCompile(`<a rel="next" href="([^"]+)"`).FindStringSubmatch(r.body); m != nil {
				next = strings.ReplaceAll(m[1], "&amp;", "&")
				if !strings.Contains(next, "filter="+filter) || !strings.Contains(next, "lang=fa") {
					t.Errorf("next link %q loses the filter or language", next)
				}
			}
			if pages > 50 {
				t.Fatal("paging does not end")
			}
		}
		if pages < 2 {
			t.Errorf("%s: %d page(s): the Persian texts should need several", filter, pages)
		}
		if filter == "all" && !seen["referral.created"] {
			t.Errorf("referral.created is on no page")
		}
	}

	// A save on a later page returns that page.
	r := tia.post("/console/texts", url.Values{"lang": {"fa"}, "id": {"referral.created"}, "filter": {"all"}, "after": {"referral.a"},
		"text": {"انجام شد. کد {{.referral_code}}"}})
	if r.code != http.StatusOK {
		t.Fatalf("save: %d", r.code)
	}
	if ids := rowIDs(r.body); len(ids) == 0 || ids[0] <= "referral.a" {
		t.Errorf("after saving, the page starts at %v, want after referral.a", ids)
	}
	// A made-up "after" is the first page.
	first := rowIDs(tia.get("/console/texts?lang=fa").body)
	for _, bad := range []string{"<script>", "x%00y", strings.Repeat("a", 300)} {
		got := rowIDs(tia.get("/console/texts?lang=fa&after=" + url.QueryEscape(bad)).body)
		if len(got) == 0 || got[0] != first[0] {
			t.Errorf("after=%q: page starts at %v, want %s", bad, got, first[0])
		}
	}
}
