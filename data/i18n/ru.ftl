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
actions-later = только показ: формы появятся в следующем выпуске
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
intake-cond-unserviceable = негоден
intake-col-doc-kind = Документ
intake-col-doc-name = Название
intake-col-valid-until = Действует до
intake-save = Зарегистрировать (Ctrl-S)
intake-keys-application = Tab ↓ далее · PgDn АПК · Ctrl-S регистрация · Esc закрыть
intake-keys-units = ^N добавить ^D копия ^K удалить · Enter след. строка · вставка серийных
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
intake-draft-discarded = Черновик удалён.
intake-draft-failed = Не удалось записать черновик: { $error }
intake-missing = не представлен документ «{ $doc }»
