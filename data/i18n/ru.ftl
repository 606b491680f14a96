# tizilim console — русский. Термины — по глоссарию Правил.

app-title = tizilim — реестр АПК
pane-queue = Очередь
pane-detail = Дело
pane-hearings = Заслушивания
pane-complaints = Жалобы
pane-monitor = Сроки

status-overdue = просрочено: { $n }
status-due-today = срок сегодня: { $n }
status-today = сегодня { $date }
status-role = { $login } ({ $role })
status-calendar-ends = календарь до { $date }
calendar-unpublished = календарь на { $year } год ещё не опубликован
calendar-ends-soon = данные календаря заканчиваются { $date }: добавьте { $year } год до его начала (tools/gen_calendar.py)

role-operator = оператор
role-clerk = специалист
role-supervisor = руководитель
role-admin = администратор

view-open = все открытые
view-incomplete = неполный пакет
view-awaiting-hearing = ждут заслушивания
view-decided-today = решены сегодня
view-search = поиск: { $q }
queue-title = { $view }
col-case = Дело
col-kind = Вид
col-applicant = Заявитель
col-registered = Регистрация
col-next-due = Срок
col-state = Состояние
col-clock = Срок по Правилам
col-rule = Пункт
col-started = Начало
col-due = Срок
col-left = Осталось
col-complaint = Жалоба
col-to = Кому
col-status = Статус
col-date = Дата
col-place = Место
col-notice = Уведомление
col-hold-by = Провести до
col-serial = Серийный номер
col-model = Модель
col-hashrate = TH/s
col-power = кВт
col-entry = Запись
col-actor = Кто
col-event = Что
queue-empty = В этом представлении нет дел.
search-empty = Ничего не найдено по «{ $q }».
filter-prompt = Фильтр (номер дела, заявитель, БИН/ИИН, серийный номер):
filter-hint = Enter — искать · Esc — отмена

kind-inclusion = включение
kind-exclusion = исключение
kind-change = изменение
stage-incomplete = неполный пакет
stage-under_review = на рассмотрении
stage-hearing_notified = уведомлён о заслушивании
stage-hearing_held = заслушивание проведено
stage-included = включено
stage-excluded = исключено
stage-amended = изменено
stage-refused = отказано
stage-refused_incomplete = отказано (неполный пакет)

state-overdue = ПРОСРОЧЕНО
state-due_today = срок сегодня
state-due_soon = след. раб. день
state-running = идёт
state-lapsed = истёк
state-unknown = неизвестно
state-none = —
days-left = { $n ->
    [one] остался { $n } рабочий день
    [few] осталось { $n } рабочих дня
   *[many] осталось { $n } рабочих дней
}
days-over = { $n ->
    [one] просрочено на { $n } рабочий день
    [few] просрочено на { $n } рабочих дня
   *[many] просрочено на { $n } рабочих дней
}
days-short = { $n } р. д.

clock-refuse_incomplete = Направить мотивированный отказ по неполному пакету
clock-decide_inclusion = Рассмотреть заявление о включении
clock-hearing_notice = Направить уведомление о заслушивании (при отказе)
clock-hold_hearing = Провести заслушивание
clock-decide_exclusion = Рассмотреть заявление об исключении
clock-amend_register = Внести изменения в реестр по уведомлению
clock-report_change = Майнер уведомляет об изменении сведений реестра
clock-inform_egov = Сообщить оператору э-правительства об изменении Правил
clock-forward_complaint = Направить жалобу в орган по жалобам
clock-decide_complaint_provider = Рассмотреть жалобу, поданную услугодателю
clock-decide_complaint_quality_body = Жалоба рассматривается органом по контролю качества
clock-not-started = не начат
clock-not-running = не на этой стадии
clock-done-in-time = выполнено { $date }
clock-done-late = выполнено { $date }, ОПОЗДАНИЕ { $n } р. д.

detail-none = Дело не открыто. Выберите его в Очереди (1) и нажмите Enter.
section-summary = Сводка
section-units = АПК
section-clocks = Сроки
section-history = История
field-applicant = Цифровой майнер
field-bin-iin = БИН/ИИН
field-address = Юридический адрес
field-contacts = Контакты
field-data-center = ЦОД
field-tn-ved = Код ТН ВЭД ЕАЭС
field-received = Поступило
field-registered = Зарегистрировано
field-channel = Канал
field-version = Версия
field-documents = Документы
field-missing = Недостающие документы
field-conflicts = Конфликты
field-decisions = Решения
field-complaints = Жалобы
field-hearing = Заслушивание
field-actions = Действия (ваша роль)
valid-until = действителен до { $date }
expired = ИСТЁК { $date }
no-expiry = без срока
nothing-missing = нет
no-conflicts = нет
conflict-line = { $serial } в реестре у { $miner } ({ $case })
actions-none = на этой стадии нет
units-count = { $n ->
    [one] { $n } АПК
    [few] { $n } АПК
   *[many] { $n } АПК
}
explain-received = Поступило { $at }: зарегистрировано { $date }
explain-day0 = день 0
explain-day = день { $n }
explain-skipped = пропуск
explain-counted-back = отсчёт назад { $n } р. д. от { $clock }
channel-portal = портал
channel-office = канцелярия
doc-ownership_proof = документ о праве собственности (ином законном праве)
doc-end_of_right_proof = документ об окончании срока аренды (пользования, продажи)
doc-change_basis = основание изменения
doc-power_of_attorney = доверенность
doc-other = иной


event-register_created = реестр создан
event-user_added = пользователь добавлен
event-case_registered = заявление зарегистрировано
event-hearing_notified = уведомление о заслушивании
event-hearing_held = заслушивание отмечено
event-decision_issued = решение вынесено
event-complaint_lodged = жалоба зарегистрирована
event-complaint_forwarded = жалоба направлена
event-complaint_decided = жалоба решена
event-calendar_amended = календарь изменён

hearings-upcoming = Предстоящие
hearings-past = Прошедшие
hearings-empty = Заслушиваний нет.
hearing-held = проведено { $date }
hearing-absent = заявитель не явился { $date }
hearing-pending = ещё не отмечено

complaints-empty = Жалоб нет.
body-provider = услугодатель
body-quality_body = орган контроля
cstatus-received = поступила
cstatus-forwarded = направлена
cstatus-decided = решена
complaint-text = Текст

monitor-empty = Идущих сроков нет.

help-title = Клавиши
help-close = Esc или ? закрывает справку
key-pane-queue = Очередь: открытые дела по ближайшему сроку
key-pane-detail = Открытое дело
key-pane-hearings = Заслушивания по датам
key-pane-complaints = Жалобы и их сроки
key-pane-monitor = Контроль сроков: все идущие сроки
key-next-pane = Следующая панель
key-prev-pane = Предыдущая панель
key-help = Эта справка
key-quit = Выход
key-back = Назад / закрыть
key-open = Открыть дело
key-down = Вниз
key-up = Вверх
key-page-down = Страница вниз
key-page-up = Страница вверх
key-top = Первая строка
key-bottom = Последняя строка
key-filter = Фильтр: номер дела, заявитель, БИН/ИИН, серийный номер
key-view = Следующее представление очереди
key-section-next = Следующий раздел дела
key-section-prev = Предыдущий раздел дела
hint-move = движение
hint-open = открыть
hint-filter = фильтр
hint-view = вид
hint-section = раздел
hint-help = справка
hint-quit = выход
hint-back = назад
layout-note = Клавиши работают по месту и в русской, и в казахской раскладке.

msg-no-role = У { $login } нет роли в этом реестре, поэтому консоль ничего из него не показывает (персональные данные). Обратитесь к администратору: tizilim user add { $login } --role clerk
msg-not-found = Дело не найдено.
msg-updated = Обновлено: другой сеанс изменил реестр.
msg-too-small = Окно терминала слишком мало

note-weekday = рабочий день
note-weekend = выходной
note-holiday = праздник: { $name }
note-moved = перенесённый выходной: { $name }
note-transfer = перенос дней: { $name }
note-provisional = дата предварительная
note-amended-working = рабочий день по изменению: { $act }
note-amended-off = выходной по изменению: { $act }
wd-1 = пн
wd-2 = вт
wd-3 = ср
wd-4 = чт
wd-5 = пт
wd-6 = сб
wd-7 = вс

outcome-granted = удовлетворена
outcome-partly_granted = удовлетворена частично
outcome-rejected = оставлена без удовлетворения

## Act forms (§11–§20) and the notice view
pane-notice = Уведомление
short-notify_hearing = предв. отказ
short-record_hearing = заслушивание
short-include = включить
short-exclude = исключить
short-amend = изменить
short-refuse = отказать
short-lodge_complaint = жалоба
act-notify_hearing = Предварительное решение об отказе и заслушивание (п. 11–12)
act-record_hearing = Итоги заслушивания (п. 12)
act-decide = Решение (п. 9, 13–15)
act-lodge = Жалоба (п. 17)
act-forward = Направить жалобу (п. 18)
act-decide_complaint = Решение по жалобе (п. 18–20)
form-grounds = Основания (прил. 5)
form-reason = Обоснование
form-late-reason = Причина опоздания
form-late-reason-note = только после последнего дня: почему действие совершено с опозданием
form-sent-on = Уведомление от
form-hearing-date = Дата заслушивания
form-hearing-time = Время
form-place = Место или способ
form-hearing-outcome = Заслушивание
form-outcome-held = состоялось
form-outcome-absent = заявитель не явился
form-position = Позиция заявителя
form-held-on = Дата
form-decision = Решение
form-decided-on = Дата решения
form-passphrase = Пароль ключа
form-passphrase-note = пароль вашего ключа подписи: спрашивается раз за сеанс
form-addressed-to = Адресат
form-complaint-text = Жалоба
form-received-on = Поступила
form-complaint-outcome = Итог
form-acted-on = Дата
form-save = Сохранить (Ctrl-S)
form-keys = Tab след. поле · Ctrl-S сохранить · Esc закрыть (ввод сохранится)
form-footer = Tab/Shift-Tab поле · ←→ Пробел выбор · Ctrl-S сохранить · Esc закрыть
form-bad-date = дата в виде дд.мм.гггг
form-bad-time = время в виде чч:мм
form-date-future = не позже сегодняшнего дня ({ $today })
form-date-before = не раньше { $date }
form-day-off = { $date } — нерабочий день
form-required = обязательно
form-need-ground = отметьте хотя бы одно основание (1–6)
form-notice-due = п. 12: направить не позднее { $date }
form-notice-late = п. 12: срок уведомления истёк { $date }
form-office-hours = часы приёма { $hours }, рабочие дни
form-outside-hours = вне часов приёма ({ $hours })
form-hearing-due = п. 12: провести до { $date } (2 раб. дня после { $sent })
form-hearing-after = позже уведомления от { $date }
form-hearing-late = п. 12: заслушивание — не позднее { $date }
form-hearing-set = заслушивание назначено на { $when }
form-hearing-not-yet = п. 12: заслушивание назначено на { $when }; отметьте его после проведения
form-reason-incomplete = п. 9: если пусто, в отказе будет перечислено, чего не хватает
form-act-late = { $rule }: срок истёк { $date }
form-decide-by = { $rule }: решить до { $date }
form-act-by = { $rule }: до { $date }
form-fix-errors = Не сохранено: исправьте поля, отмеченные !
form-wrong-passphrase = неверный пароль
form-stale = Не сохранено: { $subject } изменил(а) { $by } в { $at }. Дело перечитано, ваш ввод сохранён: проверьте его и нажмите Ctrl-S, чтобы применить.
msg-form-kept = форма закрыта; ввод сохранится до следующего открытия того же действия
msg-role-cannot = роль «{ $role }» не может: { $act }
msg-not-at-stage = невозможно на этапе «{ $stage }»: { $act }
msg-no-notice = по делу ещё не выдано уведомлений
msg-notice-written = записано в { $path }
msg-notice-not-written = не удалось записать { $path }: { $error }
done-notify_hearing = предварительный отказ сохранён; заслушивание { $when }
done-record_hearing = заслушивание отмечено
done-decide = { $decision }: уведомление { $number } подписано и выдано
done-lodge = жалоба { $number } зарегистрирована
done-forward = { $number } направлена
done-decide-complaint = по { $number } принято решение
done-decide-complaint-reopened = по { $number } принято решение; дело возобновлено
key-act-notify = Предварительный отказ и уведомление о заслушивании (п. 11–12)
key-act-record = Отметить заслушивание (п. 12)
key-act-decide = Решение: включить, исключить, изменить, отказать
key-act-lodge = Зарегистрировать жалобу по делу (п. 17)
key-notice = Последнее подписанное уведомление по делу
key-act-forward = Направить жалобу (п. 18)
key-act-decide-complaint = Решение по жалобе (п. 18–20)
key-write-notice = Записать уведомление в файл (HTML для печати)
hint-act = решение
hint-forward = направить
hint-decide-complaint = решить
hint-write = в файл
## Register pane
pane-register = Реестр
key-pane-register = Реестр: поиск записи, энергопотребление, конфликты номеров
key-reg-find = Найти запись реестра: серийный номер, БИН/ИИН или номер записи
key-reg-view = Следующий вид реестра (поиск, энергия, конфликты)
key-reg-group = Энергопотребление по регионам или по ЦОД
hint-find = поиск
hint-group = регион/ЦОД
reg-view-find = Поиск записи
reg-view-energy = Энергопотребление
reg-view-conflicts = Конфликты серийных номеров
reg-query = Поиск
reg-entries = { $n ->
    [one] { $n } запись
    [few] { $n } записи
   *[many] { $n } записей
}
reg-find-prompt = Нажмите /, чтобы найти запись.
reg-find-help = Введите серийный номер, БИН/ИИН (12 цифр) или номер записи и нажмите Enter. Запись показывается с майнером, ЦОД, делом, уведомлениями и всеми изменениями из журнала; Enter открывает её дело.
reg-find-empty = В реестре нет записи для «{ $q }».
ustatus-pending = на рассмотрении
ustatus-included = включена
ustatus-excluded = исключена
ustatus-refused = отказано
condition-serviceable = годен
condition-unserviceable = не годен
reg-entry = Запись № { $n }
reg-enter-opens = Enter откроет дело
reg-notices = Уведомления
reg-total = Всего
reg-abks = АПК
reg-region = Регион
reg-region-unknown = регион не определён
reg-energy-by-region = Энергопотребление по регионам (включённые АПК)
reg-energy-by-dc = Энергопотребление по ЦОД (включённые АПК)
reg-energy-empty = В реестр ещё не включено ни одного АПК.
reg-conflicts-title = { $n ->
    [one] { $n } серийный номер заявлен несколькими майнерами
    [few] { $n } серийных номера заявлены несколькими майнерами
   *[many] { $n } серийных номеров заявлены несколькими майнерами
}
reg-conflicts-empty = Ни один серийный номер не заявлен несколькими майнерами.
reg-stage = Этап
event-notice_issued = уведомление выдано
event-term_ended = срок завершён
event-case_reopened = дело возобновлено
reg-abk-status = АПК: { $status }
## Intake form
key-intake = Зарегистрировать бумажное заявление (приём в канцелярии)
hint-intake = приём
intake-title = Бумажное заявление (приложения 2, 3, 4, 9)
intake-paper = бумажное заявление
intake-part-application = Заявление
intake-part-units = АПК ({ $n })
intake-part-documents = Документы ({ $n })
intake-units-title = Сведения об АПК (приложение 3)
intake-documents-title = Приложенные документы
intake-f-kind = Вид заявления
intake-f-received = Поступило (дата, время)
intake-f-name = Наименование/ФИО заявителя
intake-f-bin = БИН/ИИН
intake-f-address = Юридический адрес
intake-f-phone = Мобильный телефон
intake-f-email = Электронная почта
intake-f-consent = Согласие на обработку ПД
intake-consent-given = дано (Закон о персональных данных)
intake-f-data-center = Местонахождение ЦОД
intake-f-tn-ved = Код ТН ВЭД ЕАЭС
intake-f-changed-on = Дата изменения
intake-f-reason = Причина изменений
intake-kind-inclusion = включение
intake-kind-exclusion = исключение
intake-kind-change = изменение
intake-note-received = дд.мм.гггг чч:мм, время Алматы
intake-col-brand = Марка
intake-col-declaration = № декл.
intake-col-condition = Состояние
intake-cond-serviceable = годен
intake-cond-unserviceable = не годен
intake-col-doc-kind = Документ
intake-col-doc-name = Название
intake-col-valid-until = Действует до
intake-save = Зарегистрировать (Ctrl-S)
intake-keys-application = Tab ↓ далее · PgDn АПК · Ctrl-S регистрация · Esc закрыть
intake-keys-units = ^N добавить ^D копия ^K удалить · Enter след. строка · вставка серийных номеров
intake-keys-documents = ^N добавить ^D копия ^K удалить строку · Space вид
intake-footer = F5 F6 F7 части · Ctrl-S регистрация · Esc закрыть (черновик сохранится)
intake-err-required = обязательно
intake-err-number = должно быть положительным числом
intake-err-consent = нужно согласие: без него услуга не оказывается
intake-err-time = время пишется как дд.мм.гггг чч:мм
intake-err-date = дата пишется как дд.мм.гггг
intake-err-bin-digits = должно быть ровно 12 цифр
intake-err-bin-never = недействительный номер: контрольная цифра даёт 10
intake-err-bin-check = контрольная цифра { $have }, должна быть { $want }: опечатка?
intake-serial-included = { $serial } уже в реестре (запись { $entry }, { $case }, БИН/ИИН { $bin })
intake-serial-pending = { $serial } заявлен другим майнером ({ $case }, БИН/ИИН { $bin })
intake-fix-errors = Не зарегистрировано: исправьте поля, отмеченные «!».
intake-registered = Зарегистрировано под номером { $case }.
intake-resubmission = Уже зарегистрировано как { $case }: то же заявление повторно, ничего не сохранено.
intake-incomplete = Неполный пакет: { $missing } — отказ по { $rule } до { $date }
intake-deadlines = Сроки:
intake-saved-keys = Enter открыть дело · i следующее заявление · Esc закрыть
intake-not-allowed = Ваша роль не позволяет регистрировать заявления.
intake-closed = Форма закрыта, черновик сохранён (i — продолжить).
intake-draft-offer = Ждёт черновик от { $at } ({ $name }).
intake-draft-keys = Enter продолжить · d удалить · Esc позже
intake-draft-confirm = Нажмите d ещё раз, чтобы удалить черновик (Enter — продолжить).
intake-draft-discarded = Черновик удалён.
intake-draft-failed = Не удалось записать черновик: { $error }
intake-missing = не представлен { $doc }
msg-act-drafts = Не сохранены с прошлого сеанса: { $list }. Откройте то же действие по делу, чтобы продолжить.

# errors: the CLI's and the console's refusals (i18n::Message; cli::Failure)
err-detail = { $detail }
err-no-register = реестра нет по пути { $path }: создайте его командой `tizilim init` (или `tizilim demo`) либо укажите другой через --db или TIZILIM_DB
err-exists = реестр уже существует: { $path }
err-not-register = { $path } — не реестр tizilim ({ $why }); файл не тронут
err-exists-not-register = { $path } существует и не является реестром tizilim ({ $why }): init никогда не перезаписывает файл; удалите его или укажите другой --db
err-create-failed = не удалось создать реестр { $path }: { $why }; ничего не оставлено
err-newer = { $path } создан более новой версией tizilim (схема v{ $found }; эта знает до v{ $known }): используйте ту версию; файл не тронут
err-read-only = реестр { $path } здесь доступен только для чтения: команды чтения работают, для изменений нужен доступ на запись
err-read-only-old = реестр { $path } здесь доступен только для чтения и имеет схему v{ $found }: эта версия tizilim читает v{ $known }, и для обновления один раз нужен доступ на запись
err-not-upgraded = реестр { $path } имеет схему v{ $found }, а эта версия tizilim работает со схемой v{ $known }: он обновится, когда его откроет один из его пользователей
err-forbidden = { $login } не может { $action }: нужна роль { $needed } (ваша: { $have })
err-no-role = нет — не пользователь этого реестра
err-not-found = { $what }: не найдено
err-invalid = { $field }: { $message }
err-stale = { $subject } изменено пользователем { $by } в { $at } (теперь версия { $version }, вы видели { $expected }); обновите и повторите
err-refused = { $rule }: { $message }
err-corrupt = реестр несогласован: { $detail }
err-database = база данных: { $detail }
err-schema = схема базы данных: { $detail }
err-journal-payload = запись журнала: { $detail }
err-output = ошибка вывода: не удаётся писать в стандартный вывод: { $detail }
err-output-not-stored = ошибка вывода: не удаётся писать в стандартный вывод ({ $detail }); { $file } не сохранён
err-output-not-stored-after = ошибка вывода: не удаётся писать в стандартный вывод ({ $detail }); { $file } не сохранён, как и { $n } файл(ов) после него
err-privilege = привилегии: { $detail }
err-terminal = терминал: { $detail }
err-now-set-id = установленная программа не принимает TIZILIM_NOW: действия в реестре совершаются в реальном времени
err-now-invalid = TIZILIM_NOW «{ $value }»: { $reason } (RFC 3339, например 2025-11-27T11:00:00+05:00)
err-lang = недопустимое значение «{ $value }» для TIZILIM_LANG: [возможные значения: kk, ru, en]
err-no-login = у идентификатора пользователя { $uid } нет имени входа
err-login-lookup = не удаётся найти пользователя с идентификатором { $uid }: { $detail }
err-time = { $what }: { $detail }
err-init-system = системный реестр ({ $path }) создаёт только root: выполните `sudo tizilim init`
err-demo-system = демонстрационные данные никогда не записываются в системный реестр ({ $path }); укажите другой файл через --db
err-demo-held = { $path } уже содержит дел: { $n }. demo заполняет новый реестр; добавьте --append, чтобы дополнить этот
err-demo-working = { $path } содержит дела, созданные не demo ({ $n }): демонстрационные данные никогда не записываются в рабочий реестр; укажите другой файл через --db
err-passphrases-differ = парольные фразы не совпадают
err-file = { $file }: { $detail }
err-out-file = --out { $file }: { $detail }
err-out-dotfile = --out { $file }: { $part } начинается с точки, а tizilim не пишет скрытых файлов (dotfiles)
err-out-exists = --out { $file } уже существует: tizilim создаёт только новые файлы и никогда не перезаписывает файл
err-out-symlink = --out { $file } — символическая ссылка: tizilim никогда не пишет через ссылку
err-out-outside = --out { $file }: этот пользователь записывает файлы только в свою папку уведомлений { $dir } (одно имя, например --out notice.html, попадает туда)
err-not-own-folder = { $dir } должна быть собственной папкой этого пользователя (не символической ссылкой); в неё ничего не записано
err-not-utf8 = { $file }: не текст в UTF-8
err-calendar-year = { $year } — вне календаря ({ $first }–{ $last })
err-calendar-unpublished = календарь на { $year } год ещё не опубликован (данные: { $first }–{ $last })
err-damaged = реестр { $path } повреждён ({ $why }): восстановите его из резервной копии (docs/operations.md, «Backups»)
err-witness = не удалось записать файл-свидетель { $path }: { $detail }
err-backup-usage = укажите --out ФАЙЛ, чтобы сделать резервную копию, или `backup verify ФАЙЛ`, чтобы проверить её

# the supervisors' report of terms (report terms; issue 20)
report-title = Сроки: действия в срок и с опозданием
report-period = Действия с { $from } по { $to }; просроченные сроки на { $today }
report-acts = Действий
report-in-time = В срок
report-late = С опозданием
report-overdue-now = Просрочено сейчас
report-by-paragraph = По пунктам Правил
report-by-clerk = По сотрудникам
report-by-month = По месяцам
report-late-acts = Действия с опозданием и их причины
report-col-rule = Пункт
report-col-median = Медиана опоздания (р. д.)
report-col-worst = Наибольшее опоздание (р. д.)
report-col-login = Пользователь
report-col-month = Месяц
report-col-case = Дело
report-col-due = Последний день
report-col-done = Совершено
report-col-late-wd = Опоздание (р. д.)
report-col-actor = Кем
report-col-reason = Причина
report-none = нет
report-chart-paragraph = Своевременность по пунктам
report-chart-month = Своевременность по месяцам
report-legend = в срок · с опозданием
report-wd-note = р. д.: рабочие дни по календарю Республики Казахстан.

# the supervisors' view of terms (Deadlines pane, t)
terms-title = Сроки { $from } – { $to }
terms-summary = Действий: { $acts }; в срок { $ok }, с опозданием { $late } · просрочено сейчас: { $overdue }
terms-legend = █ в срок  ▒ с опозданием  (t: назад к срокам)
terms-legend-ascii = # в срок  x с опозданием  (t: назад к срокам)
key-mon-terms = Отчёт о сроках: действия в срок и с опозданием (руководители)
hint-terms = сроки
msg-terms-role = Отчёт о сроках называет сотрудников: он для руководителей и администраторов.
terms-col-acts = действий
terms-col-late = опоздало
terms-col-overdue = просроч.

## The official wording (issue 21) and one word per thing (issue 17)
missing-expired = { $doc }: срок действия истек { $date }
quoted = «{ $text }»
days-lapsed = { $n ->
    [one] истек { $n } рабочий день назад (не просрочка: действие не обязательно)
    [few] истек { $n } рабочих дня назад (не просрочка: действие не обязательно)
   *[many] истек { $n } рабочих дней назад (не просрочка: действие не обязательно)
}
