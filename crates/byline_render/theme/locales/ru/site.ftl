# Сайт для читателей Byline: русские строки.
# Ключи общие для en, ru и hy; меняйте три файла вместе.

## Заголовки страниц (используются и на стороне Rust)

front-title = Новости и аналитика
search-page-title = Поиск
tag-title = Тег: { $name }
author-title = Автор: { $name }
page-n = Страница { $page } из { $pages }

## Шапка и навигация

skip-to-content = Перейти к содержанию
nav-sections = Разделы
footer-sections = Все разделы
footer-pages = О редакции
nav-follow = Мы в соцсетях
nav-apps = Наши приложения
editions = Языковые версии
language = Язык
social-x = X (Twitter)
social-youtube = YouTube
social-instagram = Instagram
social-facebook = Facebook
social-telegram = Telegram
app-ios = Загрузить в App Store
app-ios-short = App Store
app-android = Доступно в Google Play
app-android-short = Google Play
theme-toggle = Ночной режим

## Поиск

search-open = Поиск
search-title = Что вы ищете?
search-placeholder = Введите слово или фразу
search-query-label = Поисковый запрос
search-submit = Найти
search-close = Закрыть
search-esc = Нажмите Esc, чтобы закрыть
search-hint = Введите слово или фразу в поле выше и нажмите Enter.
search-results =
    { $count ->
        [one] { $count } результат
        [few] { $count } результата
        [many] { $count } результатов
       *[other] { $count } результата
    }
search-empty = Ничего не найдено. Попробуйте другие слова.
search-sort = Порядок
search-sort-relevance = Сначала самые подходящие
search-sort-newest = Сначала новые
search-scope-edition = В этой версии
search-scope-all = Во всех версиях
search-sections = Разделы
search-all-sections = Все разделы
search-filter-author = Автор
search-filter-tag = Тег
search-filter-from = С
search-filter-to = По
search-remove-filter = Убрать фильтр
search-did-you-mean = Возможно, вы имели в виду
search-relaxed = Ни в одном материале нет всех этих слов; здесь есть некоторые из них.
search-empty-query = В этом запросе нечего искать (только знаки препинания или очень частые слова). Попробуйте другие слова.
search-beyond-limit = Показать можно только первые 1000 результатов. Добавьте слово или фильтр, чтобы сузить поиск.
search-suggestions = Подсказки
search-bad-date = Даты в поиске записываются так: 2024-03-01, и дата «с» не может быть позже даты «по».
search-bad-filter = Фильтр в этом поиске указывает на раздел, автора, тег или порядок, которых нет. Уберите его и попробуйте снова.

## Списки

latest = Последние новости
most-read = Самое читаемое
read-more = Читать далее
stories = Материалы
no-stories = Здесь пока нет материалов.
front-empty = Материалов пока нет.
all-in-section = Все материалы раздела «{ $section }»
tag-kicker = Тег
author-kicker = Автор
loading = Загрузка…
load-more = Показать ещё
pagination = Страницы
prev-page = Предыдущая страница
next-page = Следующая страница

## Материал

font-size = Размер текста
font-larger = Увеличить текст
font-smaller = Уменьшить текст
updated = Обновлено { $date }
byline-prefix =
    { $count ->
        [one] Автор:
       *[other] Авторы:
    }
views-label = Просмотры:
views = Просмотры: { $count }
tags = Теги
share-title = Понравился материал? Поделитесь:
share-x = Поделиться в X
share-facebook = Поделиться в Facebook
share-telegram = Отправить в Telegram
share-whatsapp = Отправить в WhatsApp
share-email = Отправить по электронной почте
print = Печать
copy-link = Копировать ссылку
link-copied = Ссылка скопирована
copy-failed = Не удалось скопировать ссылку

## Ошибки

error-label = Ошибка
back-home = Перейти на главную
error-search = Или воспользуйтесь поиском:
error-404-heading = Страница не найдена
error-404-message = Возможно, страница была перемещена или удалена, либо в адресе есть опечатка.
error-400-heading = Некорректный запрос
error-400-message = Не удалось обработать запрос. Проверьте адрес, например номер страницы, и попробуйте ещё раз.
error-413-heading = Слишком большой запрос
error-413-message = Запрос превышает допустимый размер.
error-500-heading = Что-то пошло не так
error-500-message = На нашей стороне произошла ошибка. Попробуйте ещё раз через минуту.

error-bad-page = Номер страницы должен быть целым числом от 1, например ?page=2.
error-403-heading = Нет доступа
error-403-message = Вашей учётной записи это не разрешено. Если это ошибка, обратитесь к редактору или администратору.
error-csrf = Форма устарела или отправлена с другой страницы. Вернитесь, обновите страницу и отправьте её снова.
error-deleted = Этот материал удалён. Восстановить его может администратор.

# Исправления и снятие с публикации
error-410-heading = Удалено
error-410-message = Эта страница удалена.
error-taken-down = Этот материал удалён с сайта.
article-corrected = После публикации в материал внесены исправления или дополнения.
article-corrected-link = Смотрите заметки
article-corrections = Исправления и дополнения
article-correction-kind-correction = Исправление
article-correction-kind-update = Дополнение
article-correction-kind-clarification = Уточнение

breaking-label = Срочно
breaking-dismiss = Закрыть это сообщение

## Live blogs
live-now = Онлайн
live-ended = Трансляция завершена { $date }
live-ended-now = Трансляция завершена
live-key-events = Главное
live-show-new = Показать новые записи
live-new-arrived = Новых записей:
live-refresh = Обновите страницу, чтобы увидеть новые записи
live-pinned = Закреплено
live-key-event = Главное

# Web Push alerts (footer; shown only where the browser can receive them)
push-heading = Оповещения
push-note = Срочные новости уведомлениями на этом устройстве.
push-key-events = А также ключевые моменты онлайн-трансляций
push-start = Включить оповещения
push-stop = Выключить оповещения
push-on = Оповещения этой версии сайта включены.
push-off = Оповещения выключены.
push-denied = Уведомления от этого сайта запрещены в настройках браузера.
push-failed = Не удалось включить оповещения. Попробуйте позже.
push-failed-off = Не удалось выключить оповещения. Попробуйте позже.
