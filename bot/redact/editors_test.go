package redact_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/redact"
)

// Questions as people type them, in the seven languages, with names,
// streets, employers and numbers: what editors may read of each.
func TestForEditors(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"en", "Hi, my friend Farida Karimova works at Azersun company in Baku and they kept her passport AB1234567",
			"Hi, my friend [name] works at [employer] company in Baku and they kept her passport [id]"},
		{"en", "I live at 25 Nizami Street, flat 12, can the police find me?",
			"I live at [number] [address] Street, flat [number], can the police find me?"},
		{"en", "how much is the fine for 2 years overstay, I paid 300 manat on 12.03.2024",
			"how much is the fine for [number] years overstay, I paid [number] manat on [date]"},
		{"en", "i work at azersun and my address is nizami 5",
			"i work at [employer] and my address is [address] [number]"},
		{"en", "I went to Mr. Aliyev on Monday and he said come back in May",
			"I went to Mr. [name] on Monday and he said come back in May"},
		{"en", "Ali Rezaei is my husband, he works at the Caspian Hotel",
			"[name] is my husband, he works at the [employer] Hotel"},
		{"ru", "Здравствуйте, я работаю на заводе «Азерсун» в Баку, хозяин забрал паспорт",
			"Здравствуйте, я работаю на заводе «[employer]» в Баку, хозяин забрал паспорт"},
		{"ru", "Живу на улице Низами, дом 15, квартира 4. Меня могут депортировать?",
			"Живу на улице [address], дом [number], квартира [number]. Меня могут депортировать?"},
		{"ru", "Мой брат Руслан Алиев потерял паспорт, ему 17 лет",
			"Мой брат [name] потерял паспорт, ему [number] лет"},
		{"ru", "Фарида Каримова, 1990 года рождения, как продлить ВНЖ?",
			"[name], [number] года рождения, как продлить ВНЖ?"},
		{"ru", "меня зовут фарида, мой номер 050 123 45 67",
			"меня зовут [name], мой номер [phone]"},
		{"az", "Salam, mən Azersun şirkətində işləyirəm, pasportumu götürüblər",
			"Salam, mən [employer] şirkətində işləyirəm, pasportumu götürüblər"},
		{"az", "Mən Sabunçuda, Nizami küçəsi 12-də yaşayıram",
			"Mən [name], [address] küçəsi [number]-də yaşayıram"},
		{"az", "Qardaşımın adı Elvin Məmmədovdur, o Rusiyadan gəlib, 25 yaşı var",
			"Qardaşımın adı [name], o Rusiyadan gəlib, [number] yaşı var"},
		{"az", "Leyla xanım dedi ki, DMX-ə getməliyəm",
			"[name] xanım dedi ki, DMX-ə getməliyəm"},
		{"az", "Adım soyadım Əli Həsənov, Xırdalanda yaşayıram",
			"Adım soyadım [name], Xırdalanda yaşayıram"},
		{"tr", "Merhaba, Bakü'de Özsüt şirketinde çalışıyorum, işverenim Ahmet Bey maaşımı vermiyor",
			"Merhaba, Bakü'de [employer] şirketinde çalışıyorum, işverenim [employer] Bey maaşımı vermiyor"},
		{"tr", "Atatürk Caddesi No: 15 adresinde oturuyorum",
			"[address] Caddesi No: [number] adresinde oturuyorum"},
		{"tr", "Kardeşim Mehmet Yılmaz 3 aydır İstanbul'dan gelmedi",
			"Kardeşim [name] [number] aydır İstanbul'dan gelmedi"},
		{"tr", "Adım Ayşe, 1995 doğumluyum, Gürcistan vatandaşıyım",
			"Adım [name], [number] doğumluyum, Gürcistan vatandaşıyım"},
		{"uz", "Assalomu alaykum, men Toshkentdan keldim, Bakuda Azersun zavodida ishlayman",
			"Assalomu alaykum, men Toshkentdan keldim, Bakuda [employer] zavodida ishlayman"},
		{"uz", "Akamning ismi Jasur Karimov, u Nizami ko'chasi 7-uyda turadi",
			"Akamning ismi [name], u [address] ko'chasi [number]-uyda turadi"},
		{"uz", "Менинг исмим Дилноза, Юнусобод туманида яшайман",
			"Менинг исмим [name], [address] туманида яшайман"},
		{"uz", "mening ismim dilnoza, men yunusobod tumanida yashayman",
			"mening ismim [name], men [address] tumanida yashayman"},
		{"uz", "Pasportim muddati 2023-yil tugagan, jarima qancha?",
			"Pasportim muddati [number]-yil tugagan, jarima qancha?"},
		{"fa", "سلام، اسم من رضا احمدی است و در خیابان آزادی، کوچه ۵ زندگی می\u200cکنم",
			"سلام، اسم من [name] است و در خیابان [address]، کوچه [number] زندگی می\u200cکنم"},
		{"fa", "من در شرکت سپهر کار می\u200cکنم و کارفرما پاسپورتم را گرفته",
			"من در شرکت [employer] کار می\u200cکنم و کارفرما پاسپورتم را گرفته"},
		{"fa", "برادرم آقای کریمی ۲۵ سال دارد و در تبریز زندگی می\u200cکند",
			"برادرم آقای [name] [number] سال دارد و در تبریز زندگی می\u200cکند"},
		{"fa", "من در سابونچی زندگی می\u200cکنم، آیا پلیس مرا پیدا می\u200cکند؟",
			"من در [address] زندگی می\u200cکنم، آیا پلیس مرا پیدا می\u200cکند؟"},
		{"fa", "جریمه اقامت غیرقانونی برای ۲ سال چقدر است؟",
			"جریمه اقامت غیرقانونی برای [number] سال چقدر است؟"},
		{"ar", "اسمي محمد الأحمد، أعمل في شركة النور للبناء منذ سنتين",
			"اسمي [name]، أعمل في شركة [employer] منذ سنتين"},
		{"ar", "أسكن في حي الياسمين، شارع 10، بناية 4، هل يمكن أن تجدني الشرطة؟",
			"أسكن في حي [address]، شارع [number]، بناية [number]، هل يمكن أن تجدني الشرطة؟"},
		{"ar", "زوجي السيد خالد يعمل في مطعم الشام في باكو",
			"زوجي السيد [name] يعمل في مطعم [employer] في باكو"},
		{"ar", "أعمل عند كفيلي أبو سالم، أخذ جوازي",
			"أعمل عند كفيلي أبو [name]، أخذ جوازي"},
		{"ar", "كم الغرامة إذا بقيت ٣ سنوات بدون إقامة؟ رقمي 0501234567",
			"كم الغرامة إذا بقيت [number] سنوات بدون إقامة؟ رقمي [phone]"},
	}
	seen := map[string]int{}
	for _, tt := range tests {
		seen[tt.lang]++
		if got := redact.ForEditors(tt.in); got != tt.want {
			t.Errorf("%s: ForEditors(%q)\n got %q\nwant %q", tt.lang, tt.in, got, tt.want)
		}
	}
	for _, lang := range []string{"en", "az", "ru", "fa", "tr", "uz", "ar"} {
		if seen[lang] < 4 {
			t.Errorf("%s: %d questions, want at least 4", lang, seen[lang])
		}
	}
}

// Questions with nothing personal keep every word editors need: places,
// institutions, terms.
func TestForEditorsKeepsPlainQuestions(t *testing.T) {
	for _, q := range []string{
		"Can I get a Work Permit at the State Migration Service in Ganja?",
		"I am from Afghanistan, can I apply for asylum in Azerbaijan?",
		"Где находится миграционная служба в Сумгаите? Можно ли Вам написать?",
		"Vizam bitdi, Bakıda nə etməliyəm? DMX-ə getməliyəm?",
		"Türkiye vatandaşıyım, oturma izni nasıl alırım?",
		"O'zbekistondan keldim, Rossiyaga qaytishim kerakmi?",
		"آیا می\u200cتوانم در باکو کار کنم؟",
		"هل أحتاج إلى تأشيرة للعمل في أذربيجان؟",
	} {
		if got := redact.ForEditors(q); got != q {
			t.Errorf("ForEditors(%q)\n got %q\nwant it unchanged", q, got)
		}
	}
}

func FuzzForEditors(f *testing.F) {
	for _, s := range []string{"My name is Farida", "+994501234567", "اسمي محمد", "Nizami küçəsi 5", "работаю в «Азерсун»",
		"در شرکت سپهر کار می\u200cکنم", "[name] [[x]] ]", "Əli-ağa DMX-ə", "\xff\xfe", "a-'b", "و"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := redact.ForEditors(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Errorf("ForEditors(%q) = %q: invalid UTF-8", s, out)
		}
		if strings.ContainsFunc(out, func(r rune) bool { return r >= '0' && r <= '9' || r >= '۰' && r <= '۹' || r >= '٠' && r <= '٩' }) {
			t.Errorf("ForEditors(%q) = %q: a digit is left", s, out)
		}
		if again := redact.ForEditors(out); again != out {
			t.Errorf("ForEditors is not idempotent on %q:\n once  %q\n twice %q", s, out, again)
		}
	})
}
