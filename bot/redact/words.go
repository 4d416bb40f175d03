package redact

import "strings"

// The phrase lists of ForEditors, in the seven languages. Words are
// written as people type them; they are folded once (redactFold) so that
// case, marks, apostrophes, Cyrillic or Latin Uzbek and Persian or Arabic
// letter variants do not matter. A word ending in "*" matches every word
// that starts so (Russian, Azerbaijani, Turkish and Uzbek add endings:
// küçəsi, küçəsində). Phrases are separated by "|", words by spaces.

const (
	labelName     = "name"
	labelAddress  = "address"
	labelEmployer = "employer"
)

type markerMode uint8

const (
	modeAny      markerMode = iota // any word that is not a stop word
	modeCapitals                   // in Latin and Cyrillic writing, capitalised words only
	modeName                       // the first word whatever its case, then capitalised ones
)

// markerRule masks up to after words following a phrase, or up to before
// words preceding it, with label. With openers, a span before the phrase is
// masked only when one of them precedes it (Persian "در ... کار می‌کنم").
type markerRule struct {
	phrase  []string
	label   string
	after   int
	before  int
	mode    markerMode
	openers map[string]bool
}

type ruleSpec struct {
	label         string
	after, before int
	mode          markerMode
	phrases       string
	openers       string
}

var ruleSpecs = []ruleSpec{
	// ---- streets and where a person lives ----
	// en
	{labelAddress, 0, 2, modeCapitals, "street|st|avenue|ave|road|rd|lane|boulevard|blvd|square|district|village|settlement", ""},
	{labelAddress, 2, 0, modeAny, "live in|live at|live on|live near|lives in|lives at|living in|living at|stay in|stay at|staying in|staying at|my address|address is", ""},
	// ru
	{labelAddress, 2, 0, modeCapitals, "улиц*|ул|проспект*|пр|переул*|пер|бульвар*|шоссе|микрорайон*|мкр|поселок|посёлок|поселк*|посёлк*|пос|район*|квартал*", ""},
	{labelAddress, 2, 0, modeAny, "живу в|живу на|живу у|живёт в|живет в|живёт на|живет на|живу около|живём в|живем в|живём на|живем на|проживаю в|проживаю на|мой адрес", ""},
	// az
	{labelAddress, 0, 2, modeCapitals, "küçə*|küç|prospekt*|döngə*|dalan*|məhəllə*|qəsəbə*|bulvar*|meydan*|rayon*|massiv*|kənd*|mikrorayon*|mkr", ""},
	{labelAddress, 0, 1, modeAny, "küçəs*|prospekti*|döngəs*|dalanı*|məhəlləs*|qəsəbəs*|rayonu*|kəndi*", ""}, // "nizami küçəsi": the street's name, in any case
	{labelAddress, 0, 1, modeAny, "yaşayıram|yaşayırıq|qalıram|qalırıq|yaşayır|qalır", ""},
	{labelAddress, 3, 0, modeAny, "ünvanım|ünvanımız", ""},
	// tr
	{labelAddress, 0, 2, modeCapitals, "cadde*|cad|cd|sokak|sokağ*|sok|sk|mahalle*|mah|bulvar*|apartman*|apt|köy*", ""},
	{labelAddress, 0, 1, modeAny, "caddesi*|sokağı*|mahallesi*|bulvarı*|köyü*", ""},
	{labelAddress, 0, 1, modeAny, "oturuyorum|oturuyoruz|yaşıyorum|yaşıyoruz|kalıyorum|kalıyoruz", ""},
	{labelAddress, 3, 0, modeAny, "adresim", ""},
	// uz
	{labelAddress, 0, 2, modeCapitals, "ko'cha*|kucha*|mahalla*|mavze*|tuman*|qishloq*|kvartal*", ""},
	{labelAddress, 0, 1, modeAny, "ko'chasi*|ko'chasin*|mahallasi*|mahallasin*|tumani*|tumanin*|mavzesi*|qishlog'i*", ""},
	{labelAddress, 0, 1, modeAny, "yashayman|yashaymiz|yashayapman|turaman|turamiz|yashaydi", ""},
	{labelAddress, 3, 0, modeAny, "manzilim|manzilimiz", ""},
	// fa
	{labelAddress, 2, 0, modeAny, "خیابان|خیابون|کوچه|بلوار|میدان|پلاک|محله|کوی|بن بست|بن\u200cبست|شهرک|ساکن|آدرسم|آدرس من|نشانی من|نشانیم", ""},
	{labelAddress, 0, 2, modeAny, "زندگی میکنم|زندگی می کنم|زندگی می\u200cکنم|زندگی میکنیم|زندگی می کنیم|زندگی می\u200cکنیم|زندگی میکند|زندگی می کند|زندگی می\u200cکند", "در|تو|توی"},
	// ar
	{labelAddress, 2, 0, modeAny, "شارع|حي|زقاق|عمارة|بناية|شقة|ساحة|مجمع|أسكن في|أعيش في|ساكن في|أقيم في|نسكن في|نعيش في|يسكن في|تسكن في|يعيش في|تعيش في|عنواني|عنوان سكني", ""},

	// ---- employers ----
	// en
	{labelEmployer, 3, 0, modeAny, "work at|work for|work in|works at|works for|works in|working at|working for|working in|worked at|worked for|worked in|employed by|employed at|employer is|job at", ""},
	{labelEmployer, 0, 2, modeCapitals, "company|factory|restaurant|hotel|shop|store|cafe|bakery|firm|plant|llc|ltd|inc", ""},
	{labelEmployer, 2, 0, modeCapitals, "company|factory|restaurant|hotel|shop|firm", ""},
	// ru
	{labelEmployer, 3, 0, modeAny, "работаю в|работаю на|работаю у|работает в|работает на|работает у|работал в|работал на|работал у|работала в|работала на|работала у|работаем в|работаем на", ""},
	{labelEmployer, 2, 0, modeCapitals, "работодатель|компани*|фирм*|завод*|фабрик*|ресторан*|магазин*|кафе|гостиниц*|отел*|ооо|оао|зао|ип|цех*|пекарн*|рынк*|рынок", ""},
	// az
	{labelEmployer, 0, 1, modeAny, "işləyirəm|işləyirdim|işləyirik|işləmişəm|işləyir|işləyirdi", ""},
	{labelEmployer, 0, 2, modeCapitals, "şirkət*|mmc|asc|qsc|zavod*|fabrik*|restoran*|mağaza*|market*|kafe*|otel*|firma*", ""},
	{labelEmployer, 2, 0, modeCapitals, "işəgötürənim|işəgötürən", ""},
	// tr
	{labelEmployer, 0, 1, modeAny, "çalışıyorum|çalışıyordum|çalışıyoruz|çalıştım|çalışırım|çalışıyor", ""},
	{labelEmployer, 0, 2, modeCapitals, "şirket*|ltd|fabrika*|restoran*|mağaza*|market*|kafe*|otel*|firma*|holding*", ""},
	{labelEmployer, 2, 0, modeCapitals, "işverenim|patronum", ""},
	// uz
	{labelEmployer, 0, 1, modeAny, "ishlayman|ishlayapman|ishlaymiz|ishladim|ishlaganman|ishlaydi", ""},
	{labelEmployer, 0, 2, modeCapitals, "kompaniya*|firma*|zavod*|fabrika*|restoran*|do'kon*|mchj|kafe*|mehmonxona*", ""},
	// fa
	{labelEmployer, 2, 0, modeAny, "شرکت|کارخانه|رستوران|مغازه|فروشگاه|کارگاه|هتل|کافه", ""},
	{labelEmployer, 0, 2, modeAny, "کار میکنم|کار می کنم|کار می\u200cکنم|کار میکردم|کار می کردم|کار می\u200cکردم|کار میکنیم|کار می کنیم|کار می\u200cکنیم|کار میکند|کار می کند|کار می\u200cکند", "در|تو|توی|برای|پیش"},
	// ar
	{labelEmployer, 2, 0, modeAny, "أعمل في|أعمل لدى|أعمل عند|أعمل مع|أشتغل في|أشتغل عند|أشتغل لدى|نعمل في|يعمل في|تعمل في|يعمل لدى|يعمل عند|يشتغل في|تشتغل في|كفيلي|كفيلنا|شركة|مصنع|مطعم|فندق|محل|مؤسسة|ورشة|مقهى|معمل", ""},

	// ---- names of other people (the person's own: nameMarkers) ----
	{labelName, 2, 0, modeName, "his name is|her name is|named|surname is|mr|mrs|ms|mister|miss", ""},
	{labelName, 2, 0, modeName, "зовут|по имени|по фамилии|фамилия|отчество|господин|госпожа", ""},
	{labelName, 2, 0, modeName, "adı|soyadı|ismi|oti|familiyasi", ""},
	{labelName, 0, 1, modeCapitals, "xanım|bəy|müəllim|müəllimə|bey|hanım|abla|abi|amca|teyze|aka|opa|xonim", ""},
	{labelName, 2, 0, modeName, "اسمش|اسم او|نامش|نام او|به اسم|به نام|آقای|خانم|فامیلی|فامیلیش|نام خانوادگی", ""},
	{labelName, 2, 0, modeName, "أبو|ابو|أم|اسمه|اسمها|يدعى|تدعى|يسمى|تسمى|السيد|السيدة|الأستاذ|الأستاذة|الحاج|الحاجة|المدعو|المدعوة", ""},
}

// redactStop are words that end a masked span: little words, pronouns,
// time words and question words of the seven languages.
var redactStop = wordSet(`
a an the and or but in on at for to from with without since because as of by near is are was were be been am i my me
he she they we it his her their our you your please now here there year years month months day days week weeks ago
already still also not no yes can could do does did what how where when why who which will would should have has had so
then there this that these those
и или но а в во на у с со из от до для по за без к о об я мне меня мой моя он она они мы вы его её ее их это что как
где когда почему уже ещё еще тоже не нет да лет год года месяц месяца месяцев дней дня день назад можно нужно здесь там
сейчас
və ya amma ancaq mən məni mənə mənim o onun biz siz bu da də ilə üçün kimi nə necə harada niyə il ildir ay gün artıq
hələ yox var deyil burada orada burda orda indi çox nədir nədi evdə hazırda
ve veya ama ben beni bana benim onun biz siz bu de ile için gibi ne nasıl nerede neden yıl yıldır artık hala
değil şimdi evde
va yoki lekin men meni menga mening u uning biz siz bu ham bilan uchun kabi nima qanday qayerda nega yil oy kun hali
yo'q bor emas shu hozir juda bu yerda uyda
و یا اما ولی در به از با بی برای تا که را من مرا تو او ما شما آنها این آن است هست هستم هستش بود بودم می نه بله سال ماه
روز دارد دارم گفت رفت آمد گرفت گرفته کرد هفته الان اینجا آنجا هم چه چطور کجا چرا کی خیلی یک
أو لكن في على إلى الى عن مع بدون أنا انا هو هي نحن أنت هم هذا هذه ذلك التي الذي ما كيف أين اين متى لماذا لا نعم
سنة سنوات شهر أشهر يوم أيام منذ الآن هنا هناك جدا كل قد لم لن عند لدى
يعمل تعمل يسكن تسكن يعيش تعيش قال قالت ذهب جاء أخذ لديه لديها عنده عندها كان كانت هل قريب بعيد
adres* ünvan* manzil*
`)

// redactSkip are articles a span starts after: "work at the ...".
var redactSkip = wordSet(`a an the bir один одна یک یه`)

// redactWorkplace are kinds of workplace: they end a span and stay, as they
// are no one's name ("restoranda işləyirəm", "در یک رستوران کار می‌کنم").
var redactWorkplace = wordSet(`
company factory restaurant hotel shop store cafe bakery firm plant market bazaar construction site
компани* фирм* завод* фабрик* ресторан* магазин* кафе гостиниц* отел* рынок рынк* стройк* базар*
şirkət* zavod* fabrik* restoran* mağaza* market* kafe* otel* firma* tikinti* bazar*
şirket* inşaat* fabrika* kompaniya* do'kon* mehmonxona* qurilish* bozor*
شرکت کارخانه رستوران مغازه فروشگاه کارگاه هتل کافه بازار ساختمان
شركة مصنع مطعم فندق محل مؤسسة ورشة مقهى سوق معمل
`)

// redactKept are capitalised words that are not names of people: places
// (Azerbaijan's cities and the countries people come from), languages and
// nationalities, months and days, institutions and the terms of the
// knowledge base, polite pronouns.
var redactKept = wordSet(`
i im ive ill id
azerbaijan* azeri* azərbaycan* azerbaycan* азербайдж* ozarbayjon* озарбайжон*
baku* bakı* bakü* баку* boku* боку*
ganja* gəncə* gence* гяндж* ganca*
sumgait* sumgayit* sumqayıt* сумга* сумгайыт* сумкайыт*
lankaran* lənkəran* ленкоран* lenkoran*
shaki* şəki* шеки* sheki*
nakhchivan* naxçıvan* нахчыван* нахичеван* naxchivon* naxchivan*
mingachevir* mingəçevir* мингечевир*
shirvan* şirvan* ширван*
quba* guba* губа* куба*
khachmaz* xaçmaz* хачмаз*
yevlakh* yevlax* евлах*
barda* bərdə* барда*
sabirabad* сабирабад*
shamakhi* şamaxı* шамах*
zagatala* zaqatala* загатал*
gabala* qəbələ* габал*
astara* астара*
jalilabad* cəlilabad* джалилабад*
absheron* abşeron* апшерон*
khirdalan* xırdalan* хырдалан*
iran* İran* иран* eron* эрон*
tehran* tehron* тегеран*
tabriz* təbriz* тебриз*
russia* rusiya* rusya* rossiya* росси* русск* rus rusca rusça
moscow* moskva* москв*
turkey* türkiy* turkish* turkmen* türkmən* türk türkçe türkcə турци* турецк* туркмен* turkiya* туркия*
istanbul* стамбул* ankara* анкар*
georgia* gürcüstan* gürcistan* грузи* gruziya* tbilisi* тбилиси*
uzbek* özbək* özbek* o'zbek* ўзбек* узбек*
tashkent* toshkent* ташкент* samarkand* samarqand* самарканд*
tajik* tacik* таджик* tojik* тожик*
kazakh* qazax* kazak* казах* qozog'* қозоғ*
kyrgyz* qırğız* kırgız* кыргыз* киргиз* qirg'iz*
afghan* əfqan* afgan* афган* afg'on* afgon*
kabul* кабул*
pakistan* пакистан* india* hindistan* индия* индия индии индию индией индийск* bangladesh* бангладеш* nepal* непал*
syria* suriya* suriye* сирия сирии сирию сирией сирийск* iraq* irak* ирак* egypt* misir* mısır* египет* египт*
ukrain* ukrayn* украин* china* chinese çin китай* xitoy* хитой*
nigeria* нигери* ethiopia* eritrea* somalia* sudan* yemen* lebanon* palestin* armenia* ermənistan* ermenistan* армени*
europe* avropa* avrupa* европ* yevropa* america* amerika* америк*
arab* ərəb* араб* persia* farsi* fars дари dari english* ingilis* английск* ingliz* persian
islam* muslim* christian* god allah* alloh* xudo* бог бога богу аллах*
january february march april may june july august september october november december
yanvar* fevral* mart aprel* maya mayıs iyun* iyul* avqust* avgust* sentyabr* sentabr* oktyabr* oktabr* noyabr* dekabr*
январ* феврал* март марта марте апрел* мая май июн* июл* август* сентябр* октябр* ноябр* декабр*
ocak şubat nisan haziran temmuz ağustos eylül ekim kasım aralık
monday tuesday wednesday thursday friday saturday sunday
понедельник* вторник* сред* четверг* пятниц* суббот* воскресен*
bazar ertəsi çərşənbə* cümə şənbə* pazartesi salı çarşamba perşembe cuma cumartesi pazar
dushanba seshanba chorshanba payshanba juma shanba* yakshanba
novruz* навруз* новруз* ramadan* ramazan* рамадан* рамазан*
вы вас вам вами ваш* siz* sizə
state migration service department office police embassy consulate ministry republic internal affairs court
permit* residence residency visa* passport* citizen* asylum refugee* stateless temporary permanent work document*
hello hi dear sir madam please thanks thank help yes no ok okay
telegram* whatsapp* viber* google* yol
باکو آذربایجان ایران تهران تبریز مشهد افغانستان کابل هرات روسیه ترکیه گنجه سومقاییت
باكو أذربيجان اذربيجان إيران ايران سوريا العراق مصر روسيا تركيا دمشق بغداد القاهرة
государствен* миграцион* служб* министерств* посольств* консульств* республик* паспорт* полици* суд суда суде суду судом вид
dövlət* miqrasiya* xidmət* nazirl* səfirl* konsul* respublika* polis* pasport* icazə* vətəndaş*
göç* idare* bakanl* büyükelçil* konsolos* cumhuriyet* emniyet* pasaport* ikamet* vatandaş*
migratsiya* davlat* xizmat* vazirl* elchixona* ruxsat* fuqaro*
`)

// wordSet folds the words of list (spaces and new lines between them).
func wordSet(list string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(list) {
		set[foldPhraseWord(w)] = true
	}
	return set
}

// foldPhraseWord folds a list word, keeping a trailing "*".
func foldPhraseWord(w string) string {
	stem, star := strings.CutSuffix(w, "*")
	f := strings.ReplaceAll(redactFold(stem), " ", "")
	if star {
		return f + "*"
	}
	return f
}

// inSet reports whether the folded word is in set, as itself or through a
// stem ("baki*" holds "bakida").
func inSet(set map[string]bool, norm string) bool {
	if norm == "" {
		return false
	}
	if set[norm] {
		return true
	}
	for i := range norm {
		if i > maxStem {
			return false
		}
		if i > 0 && set[norm[:i]+"*"] {
			return true
		}
	}
	return set[norm+"*"]
}

// maxStem bounds the length in bytes of a stem in the lists, so a long
// word is not tried against every prefix of it.
const maxStem = 40

// redactKeptWord reports whether a folded word is in the list of words
// never redacted.
func redactKeptWord(norm string) bool { return inSet(redactKept, norm) }

// redactStopWord reports whether a folded word is in the stop list.
func redactStopWord(norm string) bool { return inSet(redactStop, norm) }

// redactWorkplaceWord reports whether a folded word is in the workplace
// list.
func redactWorkplaceWord(norm string) bool { return inSet(redactWorkplace, norm) }

// redactRules are ruleSpecs compiled.
var redactRules = compileRules(ruleSpecs)

// compileRules compiles rule specs into marker rules, one per phrase, with
// each phrase's words folded.
func compileRules(specs []ruleSpec) []markerRule {
	var out []markerRule
	for _, s := range specs {
		var openers map[string]bool
		if s.openers != "" {
			openers = wordSet(strings.ReplaceAll(s.openers, "|", " "))
		}
		for _, p := range strings.Split(s.phrases, "|") {
			var phrase []string
			for _, w := range strings.Fields(p) {
				// A word that folds into several ("بن‌بست" stays one; "a-b"
				// would be two) is matched word by word.
				stem, star := strings.CutSuffix(w, "*")
				parts := strings.Fields(redactFold(stem))
				if star && len(parts) > 0 {
					parts[len(parts)-1] += "*"
				}
				phrase = append(phrase, parts...)
			}
			if len(phrase) == 0 {
				continue
			}
			out = append(out, markerRule{phrase: phrase, label: s.label, after: s.after, before: s.before, mode: s.mode, openers: openers})
		}
	}
	return out
}
