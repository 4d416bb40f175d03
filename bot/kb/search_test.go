package kb_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yol-project/yol/bot/kb"
)

func TestSearchArticles(t *testing.T) {
	b := loadReal(t)
	tests := []struct {
		lang, text, want string
	}{
		{"en", "I got a fine because I overstayed", "fines_overstay"},
		{"en", "where can I find a free lawyer?", "free_legal_help"},
		{"ru", "Я потерял паспорт, что делать?", "lost_documents"},
		{"ru", "Какой штраф за просрочку?", "fines_overstay"},
		{"az", "QEYDİYYAT necə edilir?", "registration_place_of_stay"},
		{"az", "Uşaq doğulub, doğum şəhadətnaməsi", "children_born_here"},
		{"fa", "درخواست پناهندگی", "asylum_refugees"},
		{"uz", "Pasportimni olib qo‘yishdi, maosh bermayapti", "trafficking_help"},
		{"en", "my employer wants to give me a work permit", "work_permit_basics"},
		{"tr", "İkamet kaydı nasıl yapılır", "registration_place_of_stay"},
	}
	for _, tt := range tests {
		got := b.SearchArticles(tt.text, tt.lang)
		if len(got) == 0 || got[0].ID != tt.want {
			var ids []string
			for _, a := range got {
				ids = append(ids, a.ID)
			}
			t.Errorf("SearchArticles(%q, %s): got %v, want %s first", tt.text, tt.lang, ids, tt.want)
		}
	}
	for _, q := range []string{"", "   ", "urban xyz"} {
		if got := b.SearchArticles(q, "en"); len(got) != 0 {
			t.Errorf("SearchArticles(%q): got %d articles, want none", q, len(got))
		}
	}
}

// benchQuestions are questions of every kind: short, long, typos, another
// script, off-topic.
var benchQuestions = []struct{ lang, q string }{
	{"en", "i overstayed my visa like 4 monts how much i have to pay"},
	{"en", "Hi. I came two years ago to work at a restaurant, the owner promised papers but never did anything, now he keeps my passport. what should i do"},
	{"ru", "gde nahoditsya migracionnaya sluzhba"},
	{"ru", "потерял паспорт что делать"},
	{"az", "pasportumu itirmisem ne edim"},
	{"tr", "oturma izni icin hangi evraklar lazim"},
	{"uz", "визам тугаб қолди, жарима қанча бўлади"},
	{"fa", "pasport gom kardam"},
	{"fa", "یکی گفته ۵۰۰ منات بدی برات اقامت میگیرم، راسته یا کلاهبرداریه؟"},
	{"ar", "ضيعت الباسبور شو اعمل"},
	{"ar", "وين احسن مطعم شاورما"},
}

// BenchmarkRoute measures one free-text question through the router (the
// index is built once).
func BenchmarkRoute(b *testing.B) {
	ix, _ := realIndex(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		q := benchQuestions[i%len(benchQuestions)]
		ix.Route(q.q, q.lang)
	}
}

// BenchmarkNewIndex measures building the index of the real content (done
// once per content, on its first question).
func BenchmarkNewIndex(b *testing.B) {
	base, text, langs := realContent(b)
	b.ReportAllocs()
	for b.Loop() {
		base.NewIndex(text, langs, nil)
	}
}

// TestSynonymsFile checks the pack's search words: every reference exists
// (loadReal fails on a problem, an unknown item among them), and no
// spelling is listed under two written forms of a language.
func TestSynonymsFile(t *testing.T) {
	b := loadReal(t)
	syn := b.Synonyms()
	if len(syn.Words) == 0 || len(syn.Intents) == 0 {
		t.Fatal("knowledge/search.yaml: no synonyms or no intents")
	}
	if len(syn.Spellings) == 0 {
		t.Fatal("knowledge/search.yaml: no spellings")
	}
	for lang, m := range syn.Spellings {
		of := map[string]string{}
		for std, vs := range m {
			for _, v := range vs {
				k := kb.Normalize(v, lang)
				if k == "" {
					t.Errorf("spellings %s: %q under %q is empty once normalised", lang, v, std)
				}
				if o, ok := of[k]; ok && o != std {
					t.Errorf("spellings %s: %q is listed under %q and %q", lang, v, o, std)
				}
				of[k] = std
			}
		}
	}
	fsys := fixture(t, "")
	fsys["knowledge/search.yaml"] = &fstest.MapFile{Data: []byte("spellings: {ar: {ماذا: [شو]}}\nunknown: 1\n")}
	if b, _ := kb.Load(fsys, "knowledge"); b != nil {
		t.Error("Load accepted an unknown field in search.yaml")
	}
}

// TestSearchHowPeopleType: the ways of typing SEARCH.md describes, each
// with a question of its own (not one of the labelled sets).
func TestSearchHowPeopleType(t *testing.T) {
	ix, _ := realIndex(t)
	for _, tt := range []struct{ name, lang, q, want string }{
		{"Russian in Latin letters", "ru", "poteryala pasport, chto teper delat", "article:lost_documents"},
		{"Russian in Latin letters, intent", "ru", "hochu pogovorit s chelovekom", "journey:person"},
		{"Russian in Latin letters in an English chat", "en", "gde migracionnaya sluzhba", "journey:office"},
		{"Finglish", "fa", "vakil mikham", "article:free_legal_help"},
		{"Finglish, skeleton", "fa", "panahandegi chetori begiram", "article:asylum_refugees"},
		{"Levantine Arabic", "ar", "وين السفارة؟ ضيعت جوازي", "article:lost_documents"},
		{"Gulf Arabic", "ar", "ابغى محامي ببلاش", "article:free_legal_help"},
		{"Egyptian Arabic, intent", "ar", "عايز اكلم شخص حقيقي", "journey:person"},
		{"Uzbek in Cyrillic", "uz", "бошпана сўрамоқчиман, ватанимга қайтолмайман", "article:asylum_refugees"},
		{"Azerbaijani without its letters", "az", "qeydiyyatdan kecmek ucun ne lazimdir", "article:registration_place_of_stay"},
		{"Turkish without its letters", "tr", "siginma basvurusu", "article:asylum_refugees"},
		{"typo, 5+ letters", "en", "i lost my pasport", "article:lost_documents"},
		{"typo, 8+ letters", "en", "registartion of adress", "article:registration_place_of_stay"},
		{"typo in an intent", "en", "wher is the migraton ofice", "journey:office"},
		{"a city in an intent", "en", "migration office in ganja", "journey:office"},
		{"the question comes last", "en", "I came here in 2019 to work on a farm and my visa ran out long ago. I am afraid to go to the police. Is there a free lawyer who can help me?", "article:free_legal_help"},
		{"a plain request", "en", "please erase everything about me", "journey:forget"},
		{"a plain request", "ru", "бот не помогает, дайте живого человека", "journey:person"},
	} {
		r := ix.Route(tt.q, tt.lang)
		if !r.Found || len(r.Answers) == 0 || r.Answers[0] != tt.want {
			t.Errorf("%s: Route(%q, %s) = %v (found %v), want %s first", tt.name, tt.q, tt.lang, top3(r.Answers), r.Found, tt.want)
		}
	}
	for _, tt := range []struct{ lang, q string }{
		{"en", "where can i buy a cheap laptop in baku"},
		{"ru", "kakoy film posmotret segodnya"},
		{"az", "sabah hava necə olacaq bakıda"},
		{"fa", "ye restoran khub too baku migi"},
	} {
		if r := ix.Route(tt.q, tt.lang); r.Found {
			t.Errorf("off-topic Route(%q, %s) = %v, want nothing found", tt.q, tt.lang, top3(r.Answers))
		}
	}
}

func top3(l []string) []string {
	if len(l) > 3 {
		return l[:3]
	}
	return l
}

// TestEveryIntentPhraseReachesItsTarget: each phrase editors wrote for an
// intent, asked as it is (a city filled in for {city}), opens that intent:
// no search hit, however weak, takes the place of the editors' phrase.
func TestEveryIntentPhraseReachesItsTarget(t *testing.T) {
	ix, _ := realIndex(t)
	cities := map[string]string{"en": "Ganja", "az": "Gəncə", "ru": "Гянджа", "tr": "Gence", "uz": "Ganja", "fa": "گنجه", "ar": "كنجه"}
	syn := loadReal(t).Synonyms()
	for target, byLang := range syn.Intents {
		for lang, phrases := range byLang {
			for _, p := range phrases {
				q := strings.ReplaceAll(p, "{city}", cities[lang])
				r := ix.Route(q, lang)
				if !r.Found || len(r.Answers) == 0 || r.Answers[0] != target {
					t.Errorf("%s %q: got %v (found %v), want %s first", lang, q, top(r.Answers, 3), r.Found, target)
				}
			}
		}
	}
}
