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

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '‘', '’', 'ʻ', 'ʼ', '´', 'ʹ':
		return true
	}
	return false
}

// Normalize returns text folded for matching in lang: lower case, marks
// and letter variants removed, punctuation turned into single spaces.
// It never fails; invalid UTF-8 is dropped.
func Normalize(text, lang string) string {
	if lang == "az" || lang == "tr" {
		text = strings.NewReplacer("I", "ı", "İ", "i").Replace(text)
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

// Tokens returns the normalised words of text in lang, without stop words.
func Tokens(text, lang string) []string {
	var out []string
	for _, w := range strings.Fields(Normalize(text, lang)) {
		if stopWords[w] {
			continue
		}
		if lang == "ar" || lang == "fa" {
			w = stripArabicArticle(w)
		}
		out = append(out, w)
	}
	return out
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
		{"ar", "و في فی من الی الى علی على عن مع ان او لا ما ماذا کیف كيف این أين متی لماذا هل انا انت انتم نحن هو هی هي هذا هذه ذلک التی الذی یا مرحبا السلام علیکم من فضلک"},
	} {
		for _, w := range strings.Fields(ll[1]) {
			if n := Normalize(w, ll[0]); n != "" {
				m[n] = true
			}
		}
	}
	return m
}()
