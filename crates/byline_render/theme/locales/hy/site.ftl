# Byline ընթերցողի կայք. հայերեն տողեր։
# Բանալիները նույնն են en, ru և hy ֆայլերում. փոխեք երեքը միասին։

## Էջերի վերնագրեր (օգտագործվում են նաև Rust-ի կողմից)

front-title = Լուրեր և վերլուծություն
search-page-title = Որոնում
tag-title = Պիտակ՝ { $name }
author-title = Հեղինակ՝ { $name }
page-n = Էջ { $page }՝ { $pages }-ից

## Վերնամաս և նավարկում

skip-to-content = Անցնել բովանդակությանը
nav-sections = Բաժիններ
footer-sections = Բոլոր բաժինները
footer-pages = Խմբագրություն
nav-follow = Հետևեք մեզ
nav-apps = Մեր հավելվածները
editions = Լեզվական տարբերակներ
language = Լեզու
social-x = X (Twitter)
social-youtube = YouTube
social-instagram = Instagram
social-facebook = Facebook
social-telegram = Telegram
app-ios = Ներբեռնել App Store-ից
app-ios-short = App Store
app-android = Ներբեռնել Google Play-ից
app-android-short = Google Play
theme-toggle = Գիշերային ռեժիմ

## Որոնում

search-open = Որոնում
search-title = Ի՞նչ եք փնտրում
search-placeholder = Մուտքագրեք բառ կամ արտահայտություն
search-query-label = Որոնման հարցում
search-submit = Որոնել
search-close = Փակել
search-esc = Փակելու համար սեղմեք Esc
search-hint = Վերևի դաշտում մուտքագրեք բառ կամ արտահայտություն և սեղմեք Enter։
search-results =
    { $count ->
        [one] { $count } արդյունք
       *[other] { $count } արդյունք
    }
search-empty = Ոչինչ չի գտնվել։ Փորձեք այլ բառեր։
search-sort = Հերթականություն
search-sort-relevance = Սկզբում ամենահամապատասխանները
search-sort-newest = Սկզբում նորերը
search-scope-edition = Այս տարբերակում
search-scope-all = Բոլոր տարբերակներում
search-sections = Բաժիններ
search-all-sections = Բոլոր բաժինները
search-filter-author = Հեղինակ
search-filter-tag = Պիտակ
search-filter-from = Սկսած
search-filter-to = Մինչև
search-remove-filter = Հանել զտիչը
search-did-you-mean = Գուցե նկատի ունեիք
search-relaxed = Ոչ մի նյութում այս բոլոր բառերը չկան․ այստեղ կան դրանցից մի քանիսը։
search-empty-query = Այս հարցման մեջ որոնելու բան չկա (միայն կետադրական նշաններ կամ շատ հաճախակի բառեր)։ Փորձեք այլ բառեր։
search-beyond-limit = Հնարավոր է ցույց տալ միայն առաջին 1000 արդյունքները։ Ավելացրեք բառ կամ զտիչ՝ որոնումը նեղացնելու համար։
search-suggestions = Առաջարկներ
search-bad-date = Որոնման ամսաթվերը գրվում են այսպես՝ 2024-03-01, և «սկսած» ամսաթիվը չի կարող լինել «մինչև»-ից հետո։
search-bad-filter = Այս որոնման զտիչը նշում է բաժին, հեղինակ, պիտակ կամ հերթականություն, որը գոյություն չունի։ Հանեք այն և փորձեք կրկին։

## Ցանկեր

latest = Վերջին լուրեր
most-read = Ամենաընթերցվածը
read-more = Կարդալ ավելին
stories = Նյութեր
no-stories = Այստեղ դեռ նյութեր չկան։
front-empty = Դեռ հրապարակված նյութեր չկան։
all-in-section = «{ $section }» բաժնի բոլոր նյութերը
tag-kicker = Պիտակ
author-kicker = Հեղինակ
loading = Բեռնվում է…
load-more = Ցույց տալ ավելին
pagination = Էջեր
prev-page = Նախորդ էջ
next-page = Հաջորդ էջ

## Նյութ

font-size = Տառաչափ
font-larger = Մեծացնել տառաչափը
font-smaller = Փոքրացնել տառաչափը
updated = Թարմացվել է՝ { $date }
byline-prefix =
    { $count ->
        [one] Հեղինակ՝
       *[other] Հեղինակներ՝
    }
views-label = Դիտումներ՝
views = Դիտումներ՝ { $count }
tags = Պիտակներ
share-title = Դուր եկա՞վ նյութը։ Կիսվեք՝
share-x = Կիսվել X-ում
share-facebook = Կիսվել Facebook-ում
share-telegram = Ուղարկել Telegram-ով
share-whatsapp = Ուղարկել WhatsApp-ով
share-email = Ուղարկել էլ. փոստով
print = Տպել
copy-link = Պատճենել հղումը
link-copied = Հղումը պատճենվեց
copy-failed = Չհաջողվեց պատճենել հղումը

## Սխալներ

error-label = Սխալ
back-home = Անցնել գլխավոր էջ
error-search = Կամ օգտվեք որոնումից՝
error-404-heading = Էջը չի գտնվել
error-404-message = Հնարավոր է՝ էջը տեղափոխվել կամ ջնջվել է, կամ հասցեում վրիպակ կա։
error-400-heading = Սխալ հարցում
error-400-message = Հարցումը հնարավոր չեղավ մշակել։ Ստուգեք հասցեն, օրինակ՝ էջի համարը, և նորից փորձեք։
error-413-heading = Հարցումը չափազանց մեծ է
error-413-message = Հարցումը գերազանցում է թույլատրելի չափը։
error-500-heading = Տեղի է ունեցել սխալ
error-500-message = Մեր կողմում սխալ է տեղի ունեցել։ Խնդրում ենք կրկին փորձել մեկ րոպե անց։

error-bad-page = Էջի համարը պետք է լինի 1-ից սկսվող ամբողջ թիվ, օրինակ՝ ?page=2։
error-403-heading = Թույլատրված չէ
error-403-message = Ձեր հաշվին դա թույլատրված չէ։ Եթե կարծում եք, որ սխալ է, դիմեք խմբագրին կամ ադմինիստրատորին։
error-csrf = Ձևաթուղթը հնացել է կամ ուղարկվել է այլ էջից։ Վերադարձեք, թարմացրեք էջը և նորից ուղարկեք։
error-deleted = Այս նյութը ջնջված է։ Այն կարող է վերականգնել ադմինիստրատորը։

# Ուղղումներ և հեռացում
error-410-heading = Հեռացված է
error-410-message = Այս էջը հեռացված է։
error-taken-down = Այս նյութը հեռացված է կայքից։
article-corrected = Հրապարակումից հետո նյութում կատարվել են ուղղումներ կամ թարմացումներ։
article-corrected-link = Տեսեք նշումները
article-corrections = Ուղղումներ և թարմացումներ
article-correction-kind-correction = Ուղղում
article-correction-kind-update = Թարմացում
article-correction-kind-clarification = Պարզաբանում

breaking-label = Շտապ
breaking-dismiss = Փակել այս հաղորդագրությունը

## Live blogs
live-now = Ուղիղ
live-ended = Ուղիղ լուսաբանումն ավարտվել է { $date }
live-ended-now = Ուղիղ լուսաբանումն ավարտվել է
live-key-events = Գլխավորը
live-show-new = Ցույց տալ նոր գրառումները
live-new-arrived = Նոր գրառումներ՝
live-refresh = Թարմացրեք էջը՝ նոր գրառումները տեսնելու համար
live-pinned = Ամրացված
live-key-event = Կարևոր իրադարձություն

# Web Push alerts (footer; shown only where the browser can receive them)
push-heading = Ծանուցումներ
push-note = Շտապ լուրերը՝ ծանուցումներով այս սարքում։
push-key-events = Նաև ուղիղ լուսաբանման կարևոր պահերը
push-start = Միացնել ծանուցումները
push-stop = Անջատել ծանուցումները
push-on = Այս տարբերակի ծանուցումները միացված են։
push-off = Ծանուցումներն անջատված են։
push-denied = Այս կայքի ծանուցումներն արգելված են ձեր դիտարկիչի կարգավորումներում։
push-failed = Չհաջողվեց միացնել ծանուցումները։ Փորձեք ավելի ուշ։
push-failed-off = Չհաջողվեց անջատել ծանուցումները։ Փորձեք ավելի ուշ։
