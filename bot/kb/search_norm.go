package kb

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalisation for free-text search, per language. The aim is that the
// forms people actually type meet the forms editors wrote:
//
//   - case folding, with the Azerbaijani and Turkish dotted and dotless i;
//   - Latin letters without their marks (ə→e, ş→s, ç→c, ğ→g, ö→o, ü→u,
//     ı→i): phones without an Azerbaijani keyboard write "cerime" for
//     "cərimə";
//   - Uzbek in Cyrillic transliterated to Latin, and every apostrophe
//     variant (ʻ ‘ ’ ` ') dropped, so o‘tgan, o'tgan and otgan meet;
//   - Russian ё→е; Persian and Arabic letter variants (ي/ی/ى, ك/ک, ة/ه,
//     أ/إ/آ/ٱ→ا, ؤ→و, ئ→ی), diacritics (tashkeel), tatweel and the zero-width
//     non-joiner removed; Persian and Arabic-Indic digits made Latin;
//   - everything that is not a letter or a digit separates words.

// NormalizeDigits turns Persian (۰-۹) and Arabic-Indic (٠-٩) digits into
// Latin ones.
func NormalizeDigits(s string) string {
	if !strings.ContainsFunc(s, isEasternDigit) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '۰' && r <= '۹':
			r = '0' + (r - '۰')
		case r >= '٠' && r <= '٩':
			r = '0' + (r - '٠')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isEasternDigit reports whether r is a Persian or Arabic-Indic digit.
func isEasternDigit(r rune) bool { return r >= '۰' && r <= '۹' || r >= '٠' && r <= '٩' }

// uzCyrillic transliterates Uzbek Cyrillic to the Latin alphabet (1995),
// apostrophes included (they are dropped afterwards).
var uzCyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "j",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "x", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "sh", 'ъ': "'", 'ы': "i", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya", 'ў': "o'", 'қ': "q", 'ғ': "g'", 'ҳ': "h",
}

// latinBase maps Latin letters with marks (after lower-casing) to their base.
var latinBase = map[rune]rune{
	'ə': 'e', 'ı': 'i', 'ş': 's', 'ç': 'c', 'ğ': 'g', 'ö': 'o', 'ü': 'u',
	'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'í': 'i', 'î': 'i', 'ï': 'i', 'ó': 'o', 'ô': 'o', 'ú': 'u', 'û': 'u', 'ñ': 'n',
}

// arabicVariant maps Arabic-script letter variants to one form.
var arabicVariant = map[rune]rune{
	'ي': 'ی', 'ى': 'ی', 'ئ': 'ی', 'ك': 'ک', 'ة': 'ه', 'ۀ': 'ه',
	'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ؤ': 'و',
}

// isApostrophe reports whether r is one of the marks people type as an
// apostrophe.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '‘', '’', 'ʻ', 'ʼ', '´', 'ʹ':
		return true
	}
	return false
}

// turkicI lower-cases the dotless and dotted capital I of Azerbaijani and
// Turkish, which Unicode's default lower-casing gets wrong.
var turkicI = strings.NewReplacer("I", "ı", "İ", "i")

// Normalize returns text folded for matching in lang: lower case, marks
// and letter variants removed, punctuation turned into single spaces.
// It never fails; invalid UTF-8 is dropped.
func Normalize(text, lang string) string {
	if lang == "az" || lang == "tr" {
		text = turkicI.Replace(text)
	}
	var b strings.Builder
	b.Grow(len(text))
	space := true
	emit := func(r rune) {
		if r == ' ' {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			return
		}
		b.WriteRune(r)
		space = false
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r == utf8.RuneError && size <= 1 {
			continue
		}
		r = unicode.ToLower(r)
		switch {
		case r == '\u200c' || r == '\u200d' || r == '\u0640' || r == '\u200f' || r == '\u200e' || r == '\ufeff':
			// ZWNJ, ZWJ, tatweel, direction marks: nothing.
			continue
		case unicode.Is(unicode.Mn, r):
			// Tashkeel and combining marks (also the dot of a decomposed i̇).
			continue
		case isApostrophe(r):
			// o‘tgan = o'tgan = otgan; don't = dont.
			continue
		case isEasternDigit(r):
			r = []rune(NormalizeDigits(string(r)))[0]
		}
		if v, ok := arabicVariant[r]; ok {
			r = v
		}
		if r == 'ё' {
			r = 'е'
		}
		if lang == "uz" {
			if s, ok := uzCyrillic[r]; ok {
				for _, c := range s {
					if !isApostrophe(c) {
						emit(c)
					}
				}
				continue
			}
		}
		if v, ok := latinBase[r]; ok {
			r = v
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			emit(r)
		} else {
			emit(' ')
		}
	}
	return strings.TrimSpace(b.String())
}

// stripArabicArticle removes the definite article ال (and و+ال, ب+ال, ل+ل)
// from words long enough to keep a stem.
func stripArabicArticle(w string) string {
	for _, p := range []string{"وال", "بال", "فال", "كال", "کال", "لل", "ال"} {
		if rest, ok := strings.CutPrefix(w, p); ok && utf8.RuneCountInString(rest) >= 3 {
			return rest
		}
	}
	return w
}

// stopWords are frequent question words in every language, already
// normalised. They carry no topic, and matching them would make any
// question look like a match.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, ll := range [][2]string{
		{"en", "a an the i me my mine you your we our is are am was were be been do does did to of in on at for from with and or but if it its this that what how where when who why which can could should would will shall have has had not no yes so please hi hello there here about get got want need know tell any some"},
		// ru
		{"ru", "и в во на с со к ко по за из от до у о об а но или ли не ни да я мне меня мой моя мои ты вы вас вам ваш он она они мы нас нам это этот эта что как где когда кто почему какой какая какие можно нужно надо есть был была было были будет бы же то так уже для про при здравствуйте привет пожалуйста скажите подскажите"},
		// az (normalised: no marks)
		{"az", "ve ile ucun bu o men mene meni menim sen siz sizin biz bizim ne nece harada haradan niye kim hansi var yox bir da de mi mu mu ki ama amma ya salam zehmet olmasa xahis edirem"},
		// tr
		{"tr", "ve ile icin bu su o ben bana beni benim sen siz sizin biz bizim ne nasil nerede neden kim hangi var yok bir da de mi mu ki ama ya merhaba lutfen"},
		// uz
		{"uz", "va bilan uchun bu u men menga meni mening sen siz sizning biz nima qanday qayerda qayerga nega kim qaysi bor yoq bir ham mi ammo lekin salom iltimos kerak"},
		// fa (normalised)
		{"fa", "و در به از با که این ان را برای من مرا منو تو شما ما او چه چی چطور چگونه کجا کی چرا ایا است هست هستم نیست یک هم یا اما سلام لطفا میخواهم باید"},
		// ar (normalised)
		{"ar", "و في فی من الی الى علی على عن مع ان او لا ما ماذا کیف كيف این أين متی لماذا هل انا انت انتم نحن هو هی هي هذا هذه ذلک التی الذی یا مرحبا السلام علیکم من فضلک اريد أريد احتاج يجب"},
		// Here and there, as in English.
		{"ru", "здесь тут там"},
		{"az", "burada burda orada orda"},
		{"tr", "burada burda orada orda"},
		{"uz", "bu yerda shu yerda u yerda"},
		{"fa", "اینجا اونجا آنجا"},
		{"ar", "هنا هناك هون عند عندي لدي"},
		// Days carry no topic ("what's the weather tomorrow").
		{"en", "today tomorrow yesterday tonight"},
		{"ru", "сегодня завтра вчера"},
		{"az", "bugun sabah dunen"},
		{"tr", "bugun yarin dun"},
		{"uz", "bugun ertaga kecha"},
		{"fa", "امروز فردا دیروز"},
		// Persian light verbs ("کار کنم", "ثبت کنم") carry no topic either.
		{"fa", "کنم کنی کنه کند کنید کنیم کنن کنند کرد کردم کردی کردیم کردید کردن کردند بکنم میکنم میکنه شد شده شدم شدی بشم بشه میشه میشود"},
		{"ar", "اليوم غدا امس بكرة بكره"},
	} {
		for _, w := range strings.Fields(ll[1]) {
			if n := Normalize(w, ll[0]); n != "" {
				m[n] = true
			}
		}
	}
	return m
}()

// ---------- other scripts, misspellings ----------
//
// What people type often is not in the index at all: Russian in Latin
// letters ("gde nahoditsya"), Persian in Latin letters ("pasport gom
// kardam", Finglish), a typo ("migraton ofice"). Such a word is read
// through a key that both spellings share, or matched against the index
// words one or two edits away (search_index.go, respell).

// ruLatin spells Russian Cyrillic in Latin letters, the way people type it.
var ruLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya",
}

// ruKeyFold merges the Latin spellings of one Russian sound: щ (shch, sch)
// and ш (sh); ж (zh, j); х (kh, h, x); ц (ts, c); й and ы (y, i); в (v, w).
var ruKeyFold = strings.NewReplacer("shch", "sh", "sch", "sh", "zh", "j", "kh", "h", "ts", "c", "tz", "c",
	"x", "h", "y", "i", "w", "v", "q", "k")

// ruKey returns the phonetic key of a Russian word written in Cyrillic or in
// Latin letters: "находится" and "nahoditsya" give "nahodicia",
// "служба" and "sluzhba" give "slujba". Doubled letters count once. It
// returns "" for a word in another script.
func ruKey(w string) string {
	var b strings.Builder
	for _, r := range w {
		switch s, ok := ruLatin[r]; {
		case ok:
			b.WriteString(s)
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
		default:
			return ""
		}
	}
	return collapseDoubles(ruKeyFold.Replace(b.String()))
}

// collapseDoubles returns s with runs of the same rune written once.
func collapseDoubles(s string) string {
	var b strings.Builder
	var prev rune = -1
	for _, r := range s {
		if r != prev {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// faConsonant is the consonant class of a Persian letter (after Normalize);
// vowel letters and ع are left out (see faSkeleton).
var faConsonant = map[rune]byte{
	'ب': 'b', 'پ': 'p', 'ت': 't', 'ث': 's', 'ج': 'j', 'چ': 'C', 'ح': 'h', 'خ': 'X',
	'د': 'd', 'ذ': 'z', 'ر': 'r', 'ز': 'z', 'ژ': 'J', 'س': 's', 'ش': 'S', 'ص': 's',
	'ض': 'z', 'ط': 't', 'ظ': 'z', 'غ': 'G', 'ف': 'f', 'ق': 'G', 'ک': 'k', 'گ': 'g',
	'ل': 'l', 'م': 'm', 'ن': 'n', 'ه': 'h',
}

// finglishFold spells Latin digraphs as one consonant class.
var finglishFold = strings.NewReplacer("kh", "X", "gh", "G", "sh", "S", "ch", "C", "zh", "J",
	"q", "G", "x", "X", "w", "v", "c", "k")

// faSkeleton returns the consonants of a Persian word written in Persian or
// in Latin letters (Finglish): "پاسپورت" and "pasport" give "psprt",
// "اقامت" and "eghamat" give "Gmt". Persian leaves most vowels unwritten, so
// vowels are left out on both sides, and so are و and ی (and v, y) inside a
// word, which are vowels as often as consonants; a final silent ه (e, eh)
// too. It returns "" for a word in another script.
func faSkeleton(w string) string {
	rs := []rune(w)
	if len(rs) == 0 {
		return ""
	}
	var b strings.Builder
	if rs[0] < utf8.RuneSelf {
		s := w
		if strings.HasSuffix(s, "eh") {
			s = s[:len(s)-1]
		}
		s = finglishFold.Replace(s)
		for i, r := range s {
			switch {
			case r >= 'A' && r <= 'Z':
				b.WriteRune(r)
			case strings.ContainsRune("aeiou", r):
			case r == 'v' || r == 'y':
				if i == 0 {
					b.WriteRune(r)
				}
			case r >= 'a' && r <= 'z':
				b.WriteRune(r)
			default:
				return ""
			}
		}
		return collapseDoubles(b.String())
	}
	s := strings.ReplaceAll(w, "خوا", "خا") // the silent و of خواستن
	rs = []rune(s)
	for i, r := range rs {
		switch {
		case r == 'ه' && i == len(rs)-1 && i > 0 && rs[i-1] != 'ا' && rs[i-1] != 'و':
			// final silent ه ("خونه" khune)
		case r == 'و' || r == 'ی':
			if i == 0 {
				b.WriteByte(map[rune]byte{'و': 'v', 'ی': 'y'}[r])
			}
		case r == 'ا' || r == 'ع' || r == 'ء':
		default:
			c, ok := faConsonant[r]
			if !ok {
				return ""
			}
			b.WriteByte(c)
		}
	}
	return collapseDoubles(b.String())
}

// isASCIIWord reports whether w is made of Latin letters (and digits) only.
func isASCIIWord(w string) bool {
	letter := false
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'a' && c <= 'z':
			letter = true
		case c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return letter
}

// editDistance returns the optimal string alignment distance of a and b
// (insertions, deletions, substitutions and swaps of two neighbours cost
// 1), or max+1 when it exceeds max.
func editDistance(a, b []rune, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	// Three rows are enough for the swap.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[len(b)] > max {
		return max + 1
	}
	return prev[len(b)]
}

// deletes returns w with one rune deleted, every way.
func deletes(w []rune) []string {
	out := make([]string, 0, len(w))
	buf := make([]rune, 0, len(w))
	for i := range w {
		buf = append(append(buf[:0], w[:i]...), w[i+1:]...)
		out = append(out, string(buf))
	}
	return out
}

// sentences splits a message into its sentences: after ?, ؟ and a line
// break always, and after . ! ; … 。 when a space or the end follows
// ("migration.gov.az" stays whole).
func sentences(text string) []string {
	var out []string
	start := 0
	rs := []rune(text)
	for i, r := range rs {
		switch r {
		case '.', '!', '?', '؟', ';', '\n', '…', '。':
			if i+1 == len(rs) || unicode.IsSpace(rs[i+1]) || r == '\n' || r == '?' || r == '؟' {
				if s := strings.TrimSpace(string(rs[start : i+1])); s != "" {
					out = append(out, s)
				}
				start = i + 1
			}
		}
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}
