namespace Zakaz.Sandbox.Qtickets;

/// <summary>
/// A city as the API describes it (<c>{id, name, timezone}</c>), plus what the generator needs: the code that
/// campaign names carry and the UTC offset (Russia keeps no daylight saving time, so a fixed offset is exact).
/// </summary>
internal sealed record City(int Id, string Name, string Timezone, string Code, int UtcOffsetHours,
    double Latitude, double Longitude, double Weight, string Subdomain);

/// <summary>A kind of event: names, the usual local start hour, and the code used in campaign names.</summary>
internal sealed record Genre(string Code, string NamePattern, int EventTypeId, string Age, int LocalStartHour,
    int DurationMinutes, VenueKind Venue);

internal enum VenueKind
{
    /// <summary>A dance floor and a small balcony.</summary>
    Club,

    /// <summary>Seated stalls and balcony, with a few standing places.</summary>
    Hall,

    /// <summary>General admission only, a scheme without seats.</summary>
    Admission,
}

/// <summary>Invented reference data: real Russian cities, made-up events, venues and people.</summary>
internal static class Catalog
{
    public static readonly IReadOnlyList<City> Cities =
    [
        new(101, "Москва", "Europe/Moscow", "msk", 3, 55.7558, 37.6173, 4.0, "moscow"),
        new(102, "Санкт-Петербург", "Europe/Moscow", "spb", 3, 59.9343, 30.3351, 2.5, "spb"),
        new(103, "Екатеринбург", "Asia/Yekaterinburg", "ekb", 5, 56.8389, 60.6057, 1.2, "ekaterinburg"),
        new(104, "Новосибирск", "Asia/Novosibirsk", "nsk", 7, 55.0302, 82.9204, 1.2, "novosibirsk"),
        new(105, "Казань", "Europe/Moscow", "kzn", 3, 55.7961, 49.1064, 1.1, "kazan"),
        new(106, "Нижний Новгород", "Europe/Moscow", "nnov", 3, 56.3269, 44.0059, 1.0, "nnovgorod"),
        new(107, "Ростов-на-Дону", "Europe/Moscow", "rnd", 3, 47.2357, 39.7015, 0.9, "rostov"),
        new(108, "Самара", "Europe/Samara", "smr", 4, 53.1959, 50.1002, 0.9, "samara"),
        new(109, "Томск", "Asia/Tomsk", "tomsk", 7, 56.4846, 84.9476, 0.6, "tomsk"),
        new(110, "Краснодар", "Europe/Moscow", "krd", 3, 45.0355, 38.9753, 0.9, "krasnodar"),
        new(111, "Пермь", "Asia/Yekaterinburg", "perm", 5, 58.0105, 56.2502, 0.7, "perm"),
        new(112, "Воронеж", "Europe/Moscow", "vrn", 3, 51.6608, 39.2003, 0.7, "voronezh"),
    ];

    public static readonly IReadOnlyList<Genre> Genres =
    [
        new("rock", "Рок-концерт «{0}»", 3, "12+", 19, 150, VenueKind.Club),
        new("pop", "Концерт «{0}»", 3, "6+", 19, 120, VenueKind.Club),
        new("jazz", "Джазовый вечер «{0}»", 3, "12+", 20, 120, VenueKind.Hall),
        new("classic", "Симфонический оркестр: {0}", 4, "6+", 19, 120, VenueKind.Hall),
        new("theatre", "Спектакль «{0}»", 5, "16+", 19, 150, VenueKind.Hall),
        new("standup", "Стендап-вечер «{0}»", 7, "18+", 20, 90, VenueKind.Admission),
        new("kids", "Детское шоу «{0}»", 11, "0+", 12, 60, VenueKind.Admission),
    ];

    public static readonly IReadOnlyList<string> Titles =
    [
        "Северный ветер", "Белые ночи", "Зимняя сказка", "Огни большого города", "Тёплый вечер", "Голоса Волги",
        "Сибирский блюз", "Лунная соната", "Весенний гром", "Старый двор", "Дорога домой", "Звёздный час",
        "Полярное сияние", "Летний сад", "Город без сна", "Последний трамвай", "Серебряный дождь", "Тихая гавань",
        "Осенний марафон", "Новая волна", "Под небом голубым", "Ночной экспресс", "Край земли", "Перекрёсток",
    ];

    public static readonly IReadOnlyList<string> VenueNames =
    [
        "ДК «Тестовый»", "Клуб «Образец»", "Концертный зал «Пример»", "Театр «Макет»", "Арт-пространство «Черновик»",
        "Филармония «Эскиз»",
    ];

    public static readonly IReadOnlyList<string> Streets =
    [
        "ул. Примерная", "пр. Вымышленный", "ул. Тестовая", "наб. Условная", "пер. Образцовый", "бул. Синтетический",
    ];

    /// <summary>Male and female first names, surnames and patronymics in matching pairs, so a person reads as one.</summary>
    public static readonly IReadOnlyList<(string Male, string Female)> FirstNames =
    [
        ("Александр", "Анна"), ("Борис", "Вера"), ("Глеб", "Дарья"), ("Егор", "Жанна"), ("Иван", "Зоя"),
        ("Кирилл", "Ирина"), ("Леонид", "Ксения"), ("Максим", "Людмила"), ("Никита", "Мария"), ("Олег", "Надежда"),
        ("Павел", "Ольга"), ("Роман", "Полина"), ("Сергей", "Светлана"), ("Тимур", "Татьяна"), ("Фёдор", "Юлия"),
    ];

    public static readonly IReadOnlyList<(string Male, string Female)> Surnames =
    [
        ("Тестовый", "Тестовая"), ("Примеров", "Примерова"), ("Образцов", "Образцова"), ("Выдуманный", "Выдуманная"),
        ("Макетов", "Макетова"), ("Черновиков", "Черновикова"), ("Эскизов", "Эскизова"), ("Пробный", "Пробная"),
        ("Условный", "Условная"), ("Фиктивный", "Фиктивная"), ("Демонов", "Демонова"), ("Шаблонов", "Шаблонова"),
    ];

    public static readonly IReadOnlyList<(string Male, string Female)> Patronymics =
    [
        ("Иванович", "Ивановна"), ("Петрович", "Петровна"), ("Сергеевич", "Сергеевна"), ("Андреевич", "Андреевна"),
    ];

    /// <summary>Latin spellings of <see cref="FirstNames"/> for e-mail addresses.</summary>
    public static readonly IReadOnlyList<(string Male, string Female)> FirstNamesLatin =
    [
        ("alexander", "anna"), ("boris", "vera"), ("gleb", "darya"), ("egor", "zhanna"), ("ivan", "zoya"),
        ("kirill", "irina"), ("leonid", "ksenia"), ("maxim", "lyudmila"), ("nikita", "maria"), ("oleg", "nadezhda"),
        ("pavel", "olga"), ("roman", "polina"), ("sergey", "svetlana"), ("timur", "tatiana"), ("fedor", "yulia"),
    ];

    public static readonly IReadOnlyList<string> MailDomains = ["example.test", "example.org", "example.net"];

    /// <summary>The fifteen fixed colour themes of <c>/color-themes</c>; show prices point at them.</summary>
    public static readonly IReadOnlyList<string> ColorThemes =
    [
        "#e53935", "#8e24aa", "#3949ab", "#039be5", "#00897b", "#7cb342", "#fdd835", "#fb8c00",
        "#6d4c41", "#546e7a", "#d81b60", "#5e35b1", "#1e88e5", "#43a047", "#f4511e",
    ];
}
