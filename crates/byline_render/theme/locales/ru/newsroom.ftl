# Редакция (/newsroom): страницы редакторов и авторов.
newsroom-title = Редакция
newsroom-nav-articles = Статьи
newsroom-nav-new = Новая статья
newsroom-nav-users = Пользователи
newsroom-nav-audit = Журнал действий
newsroom-nav-password = Пароль
newsroom-logout = Выйти
newsroom-login = Войти
newsroom-login-title = Вход в редакцию
newsroom-login-wrong = Неверный e-mail или пароль.
newsroom-login-throttled = Слишком много неудачных попыток входа. Попробуйте снова через { $minutes ->
    [one] { $minutes } минуту
    [few] { $minutes } минуты
   *[other] { $minutes } минут
}.
newsroom-email = E-mail
newsroom-password = Пароль
newsroom-password-current = Текущий пароль
newsroom-password-new = Новый пароль (не короче 10 символов)
newsroom-password-repeat = Новый пароль ещё раз
newsroom-password-mismatch = Новые пароли не совпадают.
newsroom-password-changed = Пароль изменён. Остальные ваши сеансы завершены.
newsroom-password-generated = Оставьте пустым, чтобы создать одноразовый пароль
newsroom-save = Сохранить
newsroom-saved = Сохранено.
newsroom-role = Роль
newsroom-role-contributor = Внештатный автор
newsroom-role-author = Автор
newsroom-role-editor = Редактор
newsroom-role-admin = Администратор
newsroom-display-name = Имя
newsroom-add-user = Добавить пользователя
newsroom-user-created = Учётная запись { $email } создана.
newsroom-one-time-password = Одноразовый пароль (показан один раз, передайте его надёжно):
newsroom-disable = Отключить
newsroom-enable = Включить
newsroom-status = Статус
newsroom-status-any = Любой статус
newsroom-status-draft = Черновик
newsroom-status-in_review = На проверке
newsroom-status-scheduled = Запланирована
newsroom-status-published = Опубликована
newsroom-status-unpublished = Снята с публикации
newsroom-status-deleted = Удалена
newsroom-mine = Только мои
newsroom-filter = Показать
newsroom-no-articles = Статей пока нет.
newsroom-edit-title = Редактирование статьи
newsroom-edition = Издание
newsroom-section = Рубрика
newsroom-field-title = Заголовок
newsroom-field-subtitle = Подзаголовок
newsroom-field-slug = Адрес (slug)
newsroom-slug-hint = если пусто, создаётся из заголовка
newsroom-field-body = Текст (Markdown)
newsroom-field-tags = Теги (slug через запятую)
newsroom-field-authors = Авторы (slug через запятую)
newsroom-field-seo-title = Заголовок для поисковиков
newsroom-field-seo-description = Описание для поисковиков
newsroom-form-errors = Исправьте отмеченные поля; всё набранное сохранено в форме.
newsroom-conflict = Пока вы редактировали статью, её сохранил кто-то другой. Ваше сохранение не применено.
newsroom-conflict-kept = Ваш текст остался ниже и сохранён как версия №{ $revision }. Сравните его с сохранённым, перенесите нужное и сохраните снова.
newsroom-conflict-current = Сохранённая сейчас версия
newsroom-scheduled-for = запланирована на
newsroom-updated = обновлена
newsroom-view-on-site = открыть на сайте
newsroom-revisions = Версии
newsroom-revision-refused = не применена (основана на №{ $based_on })
newsroom-publish-at = Опубликовать (время сайта)
newsroom-move-submit = Отправить на проверку
newsroom-move-publish = Опубликовать сейчас
newsroom-move-schedule = Запланировать
newsroom-move-unpublish = Снять с публикации
newsroom-move-delete = Удалить
newsroom-move-restore = Восстановить
newsroom-audit-when = Когда
newsroom-audit-who = Кто
newsroom-audit-what = Что
newsroom-audit-system = сервер
newsroom-older = Раньше
newsroom-nav-taxonomy = Рубрики и теги
newsroom-nav-redirects = Переадресации
newsroom-redirects-hint = Старые адреса и то, куда они ведут теперь. Читатель, открывший старый адрес, получает постоянную переадресацию (301); сайт заглядывает сюда, только если адрес иначе не найден. Импорт добавляет адреса старого сайта; ваши заменяют импортированные.
newsroom-redirect-from = Старый адрес
newsroom-redirect-to = Новый адрес
newsroom-redirect-add = Добавить переадресацию
newsroom-redirect-remove = Удалить
newsroom-redirect-filter = Найти адрес
newsroom-redirect-origin = Кем создана
newsroom-redirect-origin-admin = администратором
newsroom-redirect-origin-import = импортом
newsroom-redirect-added = Переадресация сохранена.
newsroom-redirect-removed = Переадресация удалена.
newsroom-no-redirects = Переадресаций нет.
newsroom-next-page = Следующая страница
newsroom-nav-pages = Страницы
newsroom-pages-hint = Собственные страницы издания («О нас», «Контакты», «Конфиденциальность» …), у каждой одно издание. Опубликованные страницы с местом в подвале показаны в подвале своего издания, по возрастанию места.
newsroom-page-new = Новая страница
newsroom-page-edit = Редактирование страницы
newsroom-page-delete = Удалить страницу
newsroom-page-deleted = Страница удалена.
newsroom-no-pages = Страниц пока нет.
newsroom-footer-position = Место в подвале
newsroom-footer-position-hint = Число: меньшее идёт раньше. Пустое поле — страницы нет в подвале.
newsroom-not-in-footer = не в подвале
newsroom-nav-settings = Настройки
newsroom-taxonomy-hint = Названия для издания { $edition }; сохранение существующего адреса переименовывает.
newsroom-sections = Рубрики
newsroom-tags = Теги
newsroom-settings-name = Название сайта
newsroom-settings-timezone = Часовой пояс (имя IANA)
newsroom-settings-copyright = Строка копирайта
newsroom-diff-against = изменения относительно №{ $based_on }
newsroom-toolbar = Форматирование
newsroom-tool-heading = Заголовок
newsroom-tool-bold = Жирный
newsroom-tool-italic = Курсив
newsroom-tool-link = Ссылка
newsroom-tool-quote = Цитата
newsroom-tool-list = Маркированный список
newsroom-tool-numbered = Нумерованный список
newsroom-tool-image = Изображение
newsroom-words = слов
newsroom-reading-minutes = мин чтения
newsroom-upload = Изображения
newsroom-upload-hint = Выберите файл, перетащите его на текст или вставьте: он загрузится и вставится в позицию курсора. JPEG, PNG, WebP или GIF.
newsroom-upload-file = Файл изображения
newsroom-upload-alt = Альтернативный текст (что на изображении)
newsroom-upload-caption = Подпись
newsroom-upload-credit = Автор снимка
newsroom-uploading = Загрузка…
newsroom-uploaded = Загружено и вставлено.
newsroom-field-cover = Обложка
newsroom-cover-hint = media: и номер изображения (показывается после загрузки); пусто — без обложки.
newsroom-restore-revision = Восстановить эту версию
newsroom-restore-hint = Её заголовок и текст сохранятся как новая ревизия; ничего не потеряется.
newsroom-preview-expired = Срок действия этой ссылки для предпросмотра истёк.
newsroom-preview-expired-hint = Попросите редакцию прислать новую ссылку.
newsroom-preview = Ссылка для предпросмотра (действует 7 дней, до { $until }):
newsroom-translate = Создать перевод
newsroom-translate-into = Перевести на
newsroom-live-preview = Предпросмотр (как увидят читатели)
newsroom-nav-dashboard = Сводка
newsroom-none = Пока пусто.
newsroom-views = { $count ->
    [one] { $count } просмотр
    [few] { $count } просмотра
   *[many] { $count } просмотров
}
newsroom-dash-waiting = Ждут проверки
newsroom-dash-scheduled = Запланированы
newsroom-dash-read-day = Самое читаемое за сегодня и вчера (UTC)
newsroom-dash-read-week = Самое читаемое за 7 дней
newsroom-dash-chart = Просмотры по дням (14 дней, UTC)
newsroom-settings-attribution = Строка атрибуции (для каждого издания)
newsroom-settings-social = Ссылки на соцсети
newsroom-settings-apps = Ссылки на приложения
newsroom-link-x = X (Twitter)
newsroom-link-youtube = YouTube
newsroom-link-instagram = Instagram
newsroom-link-facebook = Facebook
newsroom-link-telegram = Telegram
newsroom-link-ios = App Store (iOS)
newsroom-link-android = Google Play (Android)
newsroom-field-social-image = Изображение для соцсетей (media:номер; пусто — обложка)
newsroom-tool-embed = Встроить (YouTube, X, Telegram)
newsroom-tool-focus = Писать без отвлечений
newsroom-tool-embed-prompt = Адрес видео YouTube, поста X или поста Telegram
newsroom-settings-editions = Издания
newsroom-settings-editions-hint = По одному в строке: код языка и название, в порядке показа; первое — основное. Издания можно переименовывать, переставлять и добавлять, но не удалять.

## API keys and tokens (/newsroom/api)
newsroom-nav-api = Доступ к API
newsroom-api-keys = Ключи Content API
newsroom-api-keys-help = Ключи только для чтения — для приложений и внешних сайтов. Передавайте как «Authorization: Bearer KEY» или «?key=KEY».
newsroom-api-tokens = Ваши токены Admin API
newsroom-api-tokens-help = Токен пишет через Admin API от вашего имени и с правами вашей роли. Передавайте как «Authorization: Bearer TOKEN».
newsroom-api-all-tokens = Токены Admin API всех сотрудников
newsroom-api-name = Название
newsroom-api-owner = Учётная запись
newsroom-api-created = Создан
newsroom-api-revoked = Отозван
newsroom-api-revoke = Отозвать
newsroom-api-new-key = Создать ключ
newsroom-api-new-token = Создать токен
newsroom-api-secret = Скопируйте сейчас — больше он показан не будет:
newsroom-api-none = Пока нет.

# Импорт из другой CMS (администраторы)
newsroom-nav-import = Импорт
newsroom-import-hint = Перенос архива из WordPress или Ghost: статьи, страницы, рубрики, метки, авторы и изображения, с переадресацией с каждого старого адреса. Повторный импорт того же файла обновит изменившееся и ничего не добавит.
newsroom-import-running = Идёт импорт. Следить за ним.
newsroom-import-source = Откуда экспорт
newsroom-import-wordpress = WordPress (Инструменты → Экспорт, файл .xml)
newsroom-import-ghost = Ghost (Settings → Labs → Export, файл .json)
newsroom-import-file = Файл экспорта
newsroom-import-file-hint = До { $max } МБ. Архивы больше — командой byline import на сервере.
newsroom-import-edition = Редакция для материалов без языка
newsroom-import-folder = Папка с изображениями
newsroom-import-no-folder = Нет (изображения остаются по старым адресам)
newsroom-import-folder-hint = Папка загрузок старого сайта, которую администратор сервера скопировал в папку imports/media. Изображения никогда не скачиваются со старого сайта.
newsroom-import-section-map = Категории в рубрики
newsroom-import-section-map-hint = Необязательно: пары старая=новая через запятую, чтобы перенести старую категорию в одну из ваших рубрик.
newsroom-import-dry-run = Пробный прогон: прочитать экспорт и показать, что в нём, ничего не записывая
newsroom-import-start = Начать импорт
newsroom-import-sending = Экспорт отправляется…
newsroom-import-send-failed = Не удалось отправить экспорт. Проверьте соединение и попробуйте снова.
newsroom-import-needs-script = Для отправки экспорта нужен JavaScript. Без него используйте команду byline import на сервере.
newsroom-import-reports = Прошлые импорты
newsroom-import-no-reports = Импортов ещё не было.
newsroom-import-run = Импорт
newsroom-import-back = Все импорты
newsroom-import-in-progress = Идёт импорт
newsroom-import-phase-reading = Чтение экспорта
newsroom-import-phase-terms = Рубрики, метки и авторы
newsroom-import-phase-pictures = Изображения в медиатеку
newsroom-import-phase-documents = Статьи и страницы
newsroom-import-phase-redirects = Переадресации со старых адресов
newsroom-import-pictures = готово изображений:
newsroom-import-documents = готово материалов:
newsroom-import-progress-hint = Страница обновляется сама; можно уйти и вернуться.
newsroom-import-refresh = Обновить
newsroom-import-dry-run-done = Пробный прогон: ничего не записано
newsroom-import-failed = Импорт остановлен:
newsroom-import-finished = Импорт завершён.
newsroom-import-counts = Что было в экспорте и что записано
newsroom-import-kind = Вид
newsroom-import-in-export = В экспорте
newsroom-import-new = Новые
newsroom-import-updated = Обновлены
newsroom-import-unchanged = Без изменений
newsroom-import-kind-articles = Статьи
newsroom-import-kind-pages = Страницы
newsroom-import-kind-sections = Рубрики
newsroom-import-kind-tags = Метки
newsroom-import-kind-authors = Авторы
newsroom-import-kind-pictures = Изображения
newsroom-import-kind-redirects = Переадресации
newsroom-import-errors = Не импортировано
newsroom-import-skipped = Пропущено
newsroom-import-more = Ещё { $n } — в полном отчёте.
newsroom-import-untranslated = Оставлено текстом
newsroom-import-pictures-missing = Изображения не найдены (остаются по старым адресам)
newsroom-import-report-file = Скачать полный отчёт (JSON)

## The article list: words, filters, tabs, pages
newsroom-list-whose = Чьи материалы
newsroom-list-everyone = Все
newsroom-list-mine = Мои материалы
newsroom-list-yours = ваш
newsroom-list-statuses = Материалы по статусу
newsroom-list-status-all = Все
newsroom-list-more-filters = Фильтры
newsroom-list-filters = Поиск материалов
newsroom-list-words = Слова в заголовке, подзаголовке или тексте
newsroom-list-edition = Версия
newsroom-list-any-edition = Любая версия
newsroom-list-section = Рубрика
newsroom-list-any-section = Любая рубрика
newsroom-list-author = Автор
newsroom-list-tag = Тег
newsroom-list-from = С
newsroom-list-to = По
newsroom-list-sort = Сортировать по
newsroom-list-sort-updated = Изменён
newsroom-list-sort-published = Опубликован
newsroom-list-clear = Сбросить фильтры
newsroom-list-col-title = Заголовок
newsroom-list-col-authors = Авторы
newsroom-list-found = { $count ->
    [one] { $count } материал.
    [few] { $count } материала.
   *[other] { $count } материалов.
}
newsroom-list-capped = Слова встречаются в { $count } материалах; список учитывает 2000 самых подходящих.
newsroom-list-ignored = Слова слишком частые для поиска; фильтр по словам не применён.
newsroom-list-pager = Страницы
newsroom-list-prev = Новее
newsroom-list-next = Старше
newsroom-list-page = Страница { $page } из { $pages }
newsroom-list-error-summary = Некоторые фильтры не удалось применить; см. сообщения ниже.
newsroom-list-error-q = Не больше 200 символов.
newsroom-list-error-status = Выберите статус из списка.
newsroom-list-error-edition = Выберите версию из списка.
newsroom-list-error-section = Такой рубрики нет.
newsroom-list-error-author = Автора с таким адресом нет; выберите из списка.
newsroom-list-error-tag = Тега с таким адресом нет; выберите из списка.
newsroom-list-error-date = Укажите день в виде ГГГГ-ММ-ДД.
newsroom-list-error-range = Последний день раньше первого.
newsroom-list-error-sort = Сортировка — по времени изменения или публикации.
newsroom-list-error-page = Номер страницы — целое число от 1.
newsroom-dash-chart-table = Те же данные таблицей
newsroom-dash-day = День
newsroom-dash-views = Просмотры

## Keeping what was typed (newsroom.js)
newsroom-keep-saved = Сохранено
newsroom-keep-saving = Сохраняется…
newsroom-keep-unsaved = Есть несохранённые изменения
newsroom-keep-offline = Нет сети — изменения хранятся в этом браузере
newsroom-keep-offer = Изменения, сделанные в этом браузере, не были сохранены.
newsroom-keep-restore = Восстановить
newsroom-keep-discard = Отбросить

## Tag and byline pickers (newsroom.js)
newsroom-picker-remove = Убрать
newsroom-picker-unknown = Такого нет в списке:

## Confirmations of status moves (newsroom.js)
newsroom-confirm-publish = Опубликовать сейчас? Читатели увидят материал сразу.
newsroom-confirm-unpublish = Снять материал с сайта? Читатели больше не найдут его.
newsroom-confirm-delete = Удалить материал? Администратор сможет его восстановить.

## Internal notes on an article
newsroom-notes = Внутренние заметки
newsroom-notes-hint = Видны только редакции: никогда на сайте или в приложениях.
newsroom-notes-none = Заметок пока нет.
newsroom-note-new = Заметка для редакции
newsroom-note-add = Добавить заметку
newsroom-note-invalid = Сначала напишите заметку (не больше 4000 символов).

## Медиатека
newsroom-nav-media = Медиатека
newsroom-media-add = Добавить изображения
newsroom-media-add-hint = JPEG, PNG, WebP или GIF. Выберите файлы, перетащите их сюда или вставьте из буфера обмена.
newsroom-media-upload = Загрузить
newsroom-media-search = Поиск изображений (имя файла, альтернативный текст, подпись, автор)
newsroom-media-error-q = Слишком длинный запрос (не больше 200 знаков).
newsroom-media-found = { $count ->
    [one] { $count } изображение.
    [few] { $count } изображения.
   *[other] { $count } изображений.
}
newsroom-media-no-alt = нет альтернативного текста
newsroom-media-deleted = Изображение удалено.
newsroom-media-saved = Сохранено. Страницы с этим изображением сохраняют прежний текст; новые получат этот.
newsroom-media-in-use = Изображение используется и не удалено: сначала уберите его из материалов и страниц, перечисленных ниже.
newsroom-media-focal = Точка фокуса
newsroom-media-focal-x = Слева (%)
newsroom-media-focal-y = Сверху (%)
newsroom-media-focal-hint = Нажмите на главное в кадре (или укажите положение в процентах): карточки, соцсети и квадраты обрезаются вокруг этой точки.
newsroom-media-error-focal = Введите целое число от 0 до 100.
newsroom-media-error-long = Слишком длинно (альтернативный текст — до 500 знаков, подпись — 1000, автор — 300).
newsroom-media-crops = Обрезка
newsroom-media-crop-card = Карточка, 16:9
newsroom-media-crop-social = Соцсети, 1200×630
newsroom-media-crop-square = Квадрат
newsroom-media-file = Файл
newsroom-media-size = Размер
newsroom-media-uploaded = Загружено
newsroom-media-markdown = В тексте материала
newsroom-media-not-yours = Изображение загрузил другой сотрудник: изменить текст может редактор.
newsroom-media-uses = Где используется
newsroom-media-use-page = страница
newsroom-media-hidden-uses = { $count ->
    [one] и ещё { $count } материал, недоступный вам
    [few] и ещё { $count } материала, недоступных вам
   *[other] и ещё { $count } материалов, недоступных вам
}
newsroom-media-unused = Пока нигде не используется.
newsroom-media-delete = Удалить изображение
newsroom-media-delete-confirm = Удалить это изображение из медиатеки?
newsroom-media-delete-in-use = Его нельзя удалить, пока оно где-то показано.
newsroom-pictures = Изображения
newsroom-pictures-title = Выберите изображение
newsroom-pictures-insert = Вставить
newsroom-pictures-use-cover = Сделать обложкой
newsroom-pictures-close = Закрыть
newsroom-pictures-alt-needed = Перед вставкой опишите изображение для тех, кто его не видит (альтернативный текст).
newsroom-pictures-more = Ещё изображения
newsroom-pictures-none = Подходящих изображений нет.
newsroom-cover-choose = Выбрать обложку
newsroom-cover-remove = Убрать обложку

## Совместная работа
newsroom-nav-notifications = Уведомления
newsroom-unread = непрочитанных
newsroom-notices-none = Пока ничего: здесь появится, когда вам назначат или вернут материал, когда его запланируют или опубликуют.
newsroom-notice-new = новое
newsroom-notice-scheduler = Расписание
newsroom-notice-returned = { $actor } вернул(а) вам с заметкой:
newsroom-notice-assigned = { $actor } назначил(а) вам:
newsroom-notice-scheduled = { $actor } запланировал(а):
newsroom-notice-published = { $actor } опубликовал(а):
newsroom-desk = Работа над материалом
newsroom-desk-writer = Автор
newsroom-desk-editor = Редактор
newsroom-desk-nobody = никто
newsroom-desk-assign = Назначить
newsroom-desk-assigned = Автор: { $writer }. Редактор: { $editor }.
newsroom-desk-error-person = Выберите действующую учётную запись из списка (редактор должен быть редактором или администратором).
newsroom-presence-others = Сейчас здесь также:
newsroom-move-return = Вернуть с заметкой
newsroom-return-note = Что нужно изменить (попадёт в заметки; автор получит уведомление)
newsroom-return-error-note = Напишите, что нужно изменить (до 4000 знаков).
newsroom-picker-new = новый
newsroom-tags-new-hint = Редакторы добавляют новый тег, набрав его название (без скрипта: +Название в списке).

## Field messages of the article editor
newsroom-deleted-title = Материал удалён
newsroom-deleted-text = Кто-то удалил этот материал, пока он был у вас открыт, поэтому изменения не сохранены. Ваш текст ниже — скопируйте его; восстановить материал может администратор.
newsroom-error-title = Нужен заголовок, не длиннее 300 знаков.
newsroom-error-subtitle = Подзаголовок — не длиннее 600 знаков.
newsroom-error-slug = Адрес может содержать только латинские буквы, цифры и дефисы и должен быть свободен в этой редакции.
newsroom-error-body = Текст не принят: изображение не из медиатеки, либо текст слишком длинный или слишком глубоко вложенный.
newsroom-error-section = Выберите раздел из списка.
newsroom-error-edition = Выберите редакцию из списка.
newsroom-error-tags = Выберите теги из списка (новые добавляют только редакторы).
newsroom-error-authors = Выберите авторов из списка.
newsroom-error-cover = Выберите изображение из медиатеки.
newsroom-error-social_image = Выберите изображение из медиатеки.
newsroom-error-publish_at = Укажите дату и время в будущем.
newsroom-error-status = С материалом в его текущем состоянии этого сделать нельзя.
newsroom-error-revision = Форма устарела: обновите материал и сохраните снова.
newsroom-error-translation = Выберите для перевода другую редакцию.
newsroom-upload-too-big = Файл слишком большой для медиатеки.
newsroom-upload-not-picture = Этот файл — не изображение, которое принимает медиатека (JPEG, PNG, WebP или GIF), или он повреждён.
newsroom-upload-offline = Загрузка не дошла до сервера: проверьте соединение и попробуйте снова.
newsroom-error-footer_position = Укажите целое число — место в подвале — или оставьте поле пустым.
newsroom-error-timezone = Выберите часовой пояс из списка (например, Asia/Yerevan).
newsroom-error-editions = Оставьте хотя бы одну редакцию с известным кодом языка.
newsroom-error-names = Нужно название.
newsroom-error-description = Описание слишком длинное.
newsroom-move-approve-schedule = Одобрить и запланировать
newsroom-move-approve-publish = Одобрить и опубликовать сейчас
newsroom-update = Обновить

# Выпускающий стол: исправления и снятие с публикации
newsroom-status-taken_down = Снята
newsroom-move-takedown = Снять с сайта
newsroom-move-reinstate = Вернуть на сайт
newsroom-confirm-takedown = Снять материал с сайта? По его адресу будет сказано, что он удалён; вернуть его сможет только администратор.
newsroom-confirm-reinstate = Вернуть материал на сайт?
newsroom-confirm-correction = Добавить эту заметку к материалу? Читатели увидят её сразу, удалить её нельзя.
newsroom-takedown-why = Причина (юридическая или ради безопасности; сохранится в журнале)
newsroom-takedown-notice = Материал снят с сайта. Вернуть его может только администратор.
newsroom-takedown-reason = Причина
newsroom-corrections = Исправления и дополнения
newsroom-corrections-hint = Публичные заметки в конце материала, с датой. Это летопись: добавленная заметка остаётся.
newsroom-correction-kind = Вид
newsroom-correction-kind-correction = Исправление
newsroom-correction-kind-update = Дополнение
newsroom-correction-kind-clarification = Уточнение
newsroom-correction-text = Что нужно знать читателям
newsroom-correction-add = Добавить заметку
newsroom-error-correction_text = Напишите заметку (не больше 1000 знаков).
newsroom-error-correction_kind = Выберите: исправление, дополнение или уточнение.
newsroom-error-takedown_reason = Укажите, почему материал снимается (не больше 2000 знаков).

newsroom-nav-alerts = Срочные новости
newsroom-alerts-hint = Срочная новость — строка над каждой страницей одной редакции. Она исчезает сама, когда истекает срок; читатели могут её закрыть.
newsroom-alerts-live = Сейчас на сайте
newsroom-alerts-none = Срочных новостей нет.
newsroom-alerts-until = до { $until }
newsroom-alerts-end = Снять сейчас
newsroom-alerts-end-confirm = Снять эту срочную новость с сайта?
newsroom-alerts-new = Новая срочная новость
newsroom-alerts-text = Текст (одна строка, не больше 200 знаков)
newsroom-alerts-url = Ссылка (путь на сайте или адрес https://; необязательно)
newsroom-alerts-minutes = Сколько минут показывать
newsroom-alerts-raise = Показать
newsroom-alerts-raise-confirm = Показать эту строку над каждой страницей редакции?
newsroom-alerts-past = Недавние
newsroom-alerts-state-live = на сайте
newsroom-alerts-state-ended = снята раньше срока
newsroom-alerts-state-expired = срок истёк
newsroom-alerts-from-article = Срочная новость
newsroom-alerts-from-article-hint = Показывает этот материал строкой над каждой страницей его редакции. Оставьте текст пустым, чтобы взять заголовок.
newsroom-error-text = Напишите строку (не больше 200 знаков).
newsroom-error-url = Укажите путь на сайте (/ru/…) или адрес https://.
newsroom-error-minutes = Укажите число минут от 1 до 4320 (три дня).
newsroom-error-alert = Эта срочная новость уже снята.
newsroom-error-article = Ссылаться можно только на опубликованный материал.

## Live blogs
newsroom-live = Онлайн-трансляция
newsroom-live-hint = Сделайте материал онлайн-трансляцией: записи, которые вы добавите здесь, сразу появятся на его странице, новые сверху, и читатели увидят их без перезагрузки.
newsroom-live-ended = Трансляция завершена; её записи остаются на странице.
newsroom-live-start = Сделать трансляцией
newsroom-live-resume = Возобновить трансляцию
newsroom-live-end = Завершить трансляцию
newsroom-live-end-confirm = Завершить трансляцию? Новые записи перестанут приходить читателям; страница их сохранит.
newsroom-entry-title = Заголовок записи (необязательно)
newsroom-entry-body = Запись (Markdown; изображения и встраивания как в материалах)
newsroom-entry-author = Автор
newsroom-entry-author-none = Редакция
newsroom-entry-key-event = Главное
newsroom-entry-pinned = Закрепить
newsroom-entry-post = Опубликовать запись
newsroom-entries = Записи
newsroom-entry-edit = Изменить
newsroom-entry-delete = Удалить
newsroom-entry-delete-confirm = Удалить запись? Читатели увидят, что она исчезла.
newsroom-entry-edit-title = Правка записи
newsroom-entry-save = Сохранить запись
newsroom-entry-revisions = Прежние версии
newsroom-entry-replaced = Заменена
newsroom-error-entry_body = Напишите запись (не больше 20 000 знаков); в завершённую трансляцию записи не добавляются.
newsroom-error-entry_title = Не больше 200 знаков.
newsroom-error-entry_author = Выберите автора из списка.

## Слова скрипта редакции и отклонённые запросы
newsroom-tool-link-prompt = Адрес, на который ведёт ссылка
newsroom-keep-conflict = Тем временем эту статью сохранил кто-то другой. Ваш текст сохранён как версия №{ $revision }; перезагрузите страницу, чтобы сравнить.
newsroom-keep-published = Опубликованная статья не сохраняется автоматически: сохраните изменения кнопкой «Обновить».
newsroom-keep-deleted = Кто-то удалил этот материал, поэтому больше ничего не сохраняется. Ваши изменения остаются в этом браузере: скопируйте их, прежде чем уйти.
newsroom-bad-form-revision = В форме нет версии статьи, на которой она основана: перезагрузите статью и сохраните снова.
newsroom-bad-action = Неизвестное действие: воспользуйтесь кнопками на странице статьи.

## Сообщения полей форм учётных записей, пароля, переадресаций и API
newsroom-error-email = Укажите адрес электронной почты вида name@example.org, которого нет у других учётных записей.
newsroom-error-display_name = Имя — не длиннее 100 знаков, в одну строку.
newsroom-error-password = В пароле должно быть от 10 до 200 знаков.
newsroom-error-new = В новом пароле должно быть от 10 до 200 знаков.
newsroom-error-current = Текущий пароль указан неверно.
newsroom-error-role = Выберите роль из списка; последний администратор должен остаться администратором.
newsroom-error-user = Нельзя отключить собственную учётную запись.
newsroom-error-from = Запишите старый адрес как путь, начинающийся с / (или как полный URL старого сайта), в одну строку, не длиннее 2000 знаков.
newsroom-error-to = Запишите новый адрес как путь на этом сайте, начинающийся с одного /, в одну строку, не длиннее 2000 знаков и не совпадающий со старым.
newsroom-error-api-name = Укажите название длиной от 1 до 100 знаков.

newsroom-alerts-subscribers = Браузеры, подписанные на push-оповещения:
newsroom-alerts-pushed = push: доставлено { $delivered }, в очереди { $pending }, не доставлено { $failed }
