//! Vocabularies with realistic frequencies: real words at the head of each language's
//! distribution, pronounceable made-up words for the long tail, drawn by Zipf's law
//! (the n-th most common word is about 1/n as frequent as the first), which is how
//! word frequencies in news text behave.

use crate::rng::Rng;

/// Function words: the head of every real distribution (most are stop words, some are
/// not and make long posting lists, as in real text).
const EN_FUNCTION: &str = "the of and to a in is that for on was with as it by he at from \
his be said an have has are this not but had which they were been its or who their would \
she will after more about up one over also when there new than her out into two year all \
last other people we first some could time can most only what may years our so no just \
three them those while since before against under many because";
const RU_FUNCTION: &str = "и в не на что с по как он это к из за о его от она для но так \
же то все был бы было их её они до при уже был только ещё также если года этот может чем \
после более мы этого того или когда между под будет ни есть лет время один два три сказал \
этом через над перед без году очень теперь потом кто где свою этой";
const HY_FUNCTION: &str = "և ու է են որ այս այդ այն մի ի իր նա նրա նրանք մենք կամ բայց \
թե էլ հետ համար վրա մեջ մասին պես իսկ ինչ որը որի որոնք սա դա նաև ոչ էր էին եմ ենք \
կարող պետք շատ ավելի արդեն միայն հետո հիմա տարի երկու երեք ասել ասաց բոլոր";

const EN: &str = "government minister president country region city market price energy water \
power year week month people report state policy economy bank trade company budget election \
parliament law court police health school university hospital farmer harvest river mountain \
border road railway airport port ship transport fuel gas oil electricity grid network project \
plan agreement talks negotiations deal summit security army war peace crisis inflation tax \
wage worker job union strike factory industry export import tariff currency loan debt investor \
investment growth decline record rise fall increase decrease village capital district province \
council mayor official spokesman statement interview analysis opinion research study survey \
data figure percent million billion thousand festival museum theatre film music book author \
artist concert exhibition team match championship coach player season weather storm flood \
drought snow heat climate forest fire emergency rescue accident bridge tunnel construction \
housing rent family child student teacher doctor nurse patient vaccine medicine technology \
internet mobile phone startup software digital platform reform protest opposition coalition \
vote voter campaign candidate party leader neighbour diplomacy embassy sanction partner \
cooperation corridor pipeline reservoir irrigation agriculture tourism hotel restaurant food \
bread apricot wine grape cheese market shop retail consumer demand supply shortage surplus";

const RU: &str = "правительство министр президент страна регион город рынок цена энергия вода \
власть год неделя месяц люди доклад государство политика экономика банк торговля компания \
бюджет выборы парламент закон суд полиция здоровье школа университет больница фермер урожай \
река гора граница дорога железная аэропорт порт судно транспорт топливо газ нефть \
электроэнергия сеть проект план соглашение переговоры сделка саммит безопасность армия \
война мир кризис инфляция налог зарплата работник работа профсоюз забастовка завод \
промышленность экспорт импорт пошлина валюта кредит долг инвестор инвестиции рост снижение \
рекорд деревня столица район область совет мэр чиновник заявление интервью анализ мнение \
исследование опрос данные процент миллион миллиард тысяча фестиваль музей театр фильм \
музыка книга автор художник концерт выставка команда матч чемпионат тренер игрок сезон \
погода буря наводнение засуха снег жара климат лес пожар спасатели авария мост тоннель \
строительство жильё аренда семья ребёнок студент учитель врач медсестра пациент вакцина \
технологии интернет телефон стартап платформа реформа протест оппозиция коалиция голосование \
кампания кандидат партия лидер сосед дипломатия посольство санкции партнёр сотрудничество \
коридор трубопровод водохранилище орошение сельское туризм гостиница ресторан еда хлеб \
абрикос вино виноград сыр магазин потребитель спрос предложение дефицит";

const HY: &str = "կառավարություն նախարար նախագահ երկիր տարածաշրջան քաղաք շուկա գին էներգիա ջուր \
իշխանություն տարի շաբաթ ամիս մարդիկ զեկույց պետություն քաղաքականություն տնտեսություն բանկ \
առևտուր ընկերություն բյուջե ընտրություններ խորհրդարան օրենք դատարան ոստիկանություն առողջություն \
դպրոց համալսարան հիվանդանոց ֆերմեր բերք գետ լեռ սահման ճանապարհ երկաթուղի օդանավակայան \
նավահանգիստ տրանսպորտ վառելիք գազ նավթ էլեկտրաէներգիա ցանց նախագիծ պլան համաձայնագիր \
բանակցություններ գործարք գագաթնաժողով անվտանգություն բանակ պատերազմ խաղաղություն ճգնաժամ \
գնաճ հարկ աշխատավարձ աշխատող աշխատանք գործարան արդյունաբերություն արտահանում ներմուծում \
մաքս արժույթ վարկ պարտք ներդրող ներդրումներ աճ անկում գյուղ մայրաքաղաք մարզ խորհուրդ \
քաղաքապետ հայտարարություն հարցազրույց վերլուծություն կարծիք հետազոտություն տվյալներ տոկոս \
միլիոն միլիարդ փառատոն թանգարան թատրոն ֆիլմ երաժշտություն գիրք հեղինակ նկարիչ համերգ \
ցուցահանդես թիմ խաղ մարզիչ եղանակ փոթորիկ ջրհեղեղ երաշտ ձյուն շոգ կլիմա անտառ հրդեհ \
կամուրջ թունել շինարարություն բնակարան ընտանիք երեխա ուսանող ուսուցիչ բժիշկ բուժքույր \
հիվանդ պատվաստանյութ տեխնոլոգիաներ համացանց հեռախոս բարեփոխում բողոք ընդդիմություն \
կուսակցություն առաջնորդ հարևան դիվանագիտություն դեսպանատուն գործընկեր համագործակցություն \
միջանցք խողովակաշար ջրամբար ոռոգում գյուղատնտեսություն զբոսաշրջություն հյուրանոց ռեստորան \
սնունդ հաց ծիրան գինի խաղող պանիր խանութ սպառող պահանջարկ առաջարկ";

/// Syllables for the made-up long tail of each language.
const EN_SYL: &[&str] = &[
    "ka", "lo", "ren", "mi", "tor", "sa", "vel", "den", "ri", "po", "lin", "gar", "bre", "ston",
    "ma", "ter", "qui", "nel", "dor", "fa",
];
const RU_SYL: &[&str] = &[
    "ка", "ло", "рен", "ми", "тор", "са", "вел", "ден", "ри", "по", "лин", "гар", "бре", "стон",
    "ма", "тер", "ки", "нел", "дор", "фа",
];
const RU_END: &[&str] = &["", "а", "ы", "ов", "ами", "ах", "ом", "е", "ой", "ую"];
const HY_SYL: &[&str] = &[
    "կա", "լո", "րեն", "մի", "թոր", "սա", "վել", "դեն", "րի", "պո", "լին", "գար", "բրե", "ստոն",
    "մա", "տեր", "քի", "նել", "դոր", "ֆա",
];

pub struct Vocabulary {
    pub words: Vec<String>,
    /// Cumulative Zipf weights for drawing.
    cumulative: Vec<f64>,
}

pub const VOCAB_SIZE: usize = 60_000;
const ZIPF_S: f64 = 1.05;

impl Vocabulary {
    pub fn new(lang: &str) -> Self {
        let (function, head, syl) = match lang {
            "ru" => (RU_FUNCTION, RU, RU_SYL),
            "hy" => (HY_FUNCTION, HY, HY_SYL),
            _ => (EN_FUNCTION, EN, EN_SYL),
        };
        let mut words: Vec<String> = Vec::new();
        for w in function.split_whitespace().chain(head.split_whitespace()) {
            if !words.iter().any(|x| x == w) {
                words.push(w.to_owned());
            }
        }
        let mut rng = Rng::new(lang.bytes().map(u64::from).sum::<u64>() + 17);
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        while words.len() < VOCAB_SIZE {
            let n = 2 + rng.below(3) as usize;
            let mut w: String = (0..n)
                .map(|_| syl[rng.below(syl.len() as u64) as usize])
                .collect();
            if lang == "ru" {
                w.push_str(RU_END[rng.below(RU_END.len() as u64) as usize]);
            }
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut cumulative = Vec::with_capacity(words.len());
        let mut total = 0.0;
        for rank in 1..=words.len() {
            total += 1.0 / (rank as f64).powf(ZIPF_S);
            cumulative.push(total);
        }
        Self { words, cumulative }
    }

    /// A word drawn by frequency.
    pub fn draw(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c < x);
        &self.words[i.min(self.words.len() - 1)]
    }

    /// How many function words head the distribution (queries skip them).
    pub fn function_words(lang: &str) -> usize {
        match lang {
            "ru" => RU_FUNCTION,
            "hy" => HY_FUNCTION,
            _ => EN_FUNCTION,
        }
        .split_whitespace()
        .count()
    }

    /// The word of frequency rank `rank` (0: the most common).
    pub fn rank(&self, rank: usize) -> &str {
        &self.words[rank.min(self.words.len() - 1)]
    }
}
