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
field-missing = Недостаёт
field-conflicts = Конфликты
field-decisions = Решения
field-complaints = Жалобы
field-hearing = Заслушивание
field-actions = Действия (ваша роль)
valid-until = действителен до { $date }
expired = ИСТЁК { $date }
no-expiry = без срока
nothing-missing = всё представлено
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
doc-ownership_proof = право владения
doc-end_of_right_proof = прекращение права
doc-change_basis = основание изменения
doc-power_of_attorney = доверенность
doc-other = иной

action-notify_hearing = Предварительное решение и уведомление о заслушивании (п. 11–12)
action-record_hearing = Отметить заслушивание (п. 12)
action-include = Уведомление о включении (п. 13)
action-exclude = Уведомление об исключении (п. 14)
action-amend = Изменить сведения реестра (п. 15)
action-refuse = Мотивированный отказ (п. 9, 13)
action-lodge_complaint = Зарегистрировать жалобу (п. 17)
action-forward = Направить в орган по жалобам (п. 18)
action-decide = Решить по жалобе (п. 19–20)

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
outcome-partly_granted = удовл. частично
outcome-rejected = отклонена

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
key-act-notify = предварительный отказ и уведомление о заслушивании (п. 11–12)
key-act-record = отметить заслушивание (п. 12)
key-act-decide = решение: включить, исключить, изменить, отказать
key-act-lodge = зарегистрировать жалобу по делу (п. 17)
key-notice = последнее подписанное уведомление по делу
key-act-forward = направить жалобу (п. 18)
key-act-decide-complaint = решение по жалобе (п. 18–20)
key-write-notice = записать уведомление в файл (HTML для печати)
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
condition-serviceable = исправна
condition-unserviceable = неисправна
reg-entry = Запись № { $n }
reg-enter-opens = Enter откроет дело
reg-notices = Уведомления
reg-total = Всего
reg-abks = АБК
reg-region = Регион
reg-region-unknown = регион не определён
reg-energy-by-region = Энергопотребление по регионам (включённые АБК)
reg-energy-by-dc = Энергопотребление по ЦОД (включённые АБК)
reg-energy-empty = В реестр ещё не включено ни одного АБК.
reg-conflicts-title = { $n ->
    [one] { $n } серийный номер заявлен несколькими майнерами
    [few] { $n } серийных номера заявлены несколькими майнерами
   *[many] { $n } серийных номеров заявлены несколькими майнерами
}
reg-conflicts-empty = Ни один серийный номер не заявлен несколькими майнерами.
reg-stage = Стадия
event-notice_issued = уведомление выдано
event-case_reopened = дело возобновлено
reg-abk-status = АБК: { $status }
