namespace Zakaz.Sandbox.Qtickets;

/// <summary>
/// Writes entities with the real API's field sets, key order and quirks (see the shared fixtures'
/// make_fixtures.py): money as JSON numbers, timestamps with <c>+03:00</c>, <c>utm</c> as <c>[]</c> or an object,
/// booleans sometimes as 0/1, personal data present.
/// </summary>
internal static class QticketsJson
{
    private const int PaymentId = 9501;
    private const string PrimarySiteHost = "билеты.испытание";
    private const string SecondSiteHost = "afisha.example.test";

    public static void WriteOrder(Utf8JsonWriter writer, TicketOffice office, in OrderRow order, bool webhook = false)
    {
        int seed = office.Seed;
        string uniqid = PersonalData.Uniqid(seed, order.Id);
        Person client = PersonalData.Client(seed, order.ClientId);
        ReadOnlySpan<BasketRow> baskets = office.BasketsOf(order);
        long price = 0;
        long original = 0;
        foreach (BasketRow basket in baskets)
        {
            // Deleted tickets stay in the total: real cancelled orders keep their price.
            price += basket.PriceKopecks;
            original += basket.OriginalKopecks;
        }

        writer.WriteStartObject();
        writer.WriteNumber("id", order.Id);
        writer.WriteString("uniqid", uniqid);
        writer.WriteBoolean("payed", order.Payed);
        SandboxTime.Write(writer, "payed_at", order.PayedAt);
        writer.WriteNumber("client_id", order.ClientId);
        WriteClient(writer, order.ClientId, client, webhook);
        bool secondSite = order.Traits.HasFlag(OrderTraits.SecondSite);
        writer.WriteNumber("site_id", secondSite ? 9101 : 9100);
        writer.WriteStartObject("site");
        writer.WriteNumber("id", secondSite ? 9101 : 9100);
        writer.WriteString("host", secondSite ? SecondSiteHost : PrimarySiteHost);
        writer.WriteEndObject();
        writer.WriteNumber("payment_id", PaymentId);
        bool numericType = order.Traits.HasFlag(OrderTraits.PayByNumericType);
        writer.WriteString("payment_type_id", numericType ? "5550001"
            : order.Traits.HasFlag(OrderTraits.PayByBankcard) ? "bankcard" : "card");
        writer.WriteString("payment_card_number", order.Payed && !numericType ? PersonalData.CardNumber(seed, order.Id) : null);
        writer.WriteString("payment_url", "https://qtickets.ru/pay/" + uniqid);
        writer.WriteString("cancel_url", "https://qtickets.ru/cancel-order/" + uniqid + "/" +
            PersonalData.UrlToken(seed, -order.Id));
        writer.WriteNumber("basket_user_id", 6_100_000 + order.Id % 1_000_000);
        WriteIdOrNull(writer, "backend_user_id", order.Traits.HasFlag(OrderTraits.BackOffice) ? 5001 : null);
        writer.WriteNull("access_code_id");
        WriteIdOrNull(writer, "discount_id", order.DiscountIndex < 0 ? null : office.Discounts[order.DiscountIndex].Id);
        WriteIdOrNull(writer, "promo_code_id", order.PromoCodeIndex < 0 ? null : office.PromoCodes[order.PromoCodeIndex].Id);
        writer.WriteBoolean("reserved", false);
        SandboxTime.Write(writer, "reserved_to", order.ReservedTo);
        writer.WriteBoolean("reserve_extended", order.Traits.HasFlag(OrderTraits.ReserveExtended));
        writer.WriteNumber("event_id", office.Events[order.EventIndex].Id);
        WriteMoney(writer, "price", price);
        WriteMoney(writer, "original_price", original);
        writer.WriteString("currency_id", "RUB");
        WriteUtm(writer, order.UtmIndex < 0 ? null : office.UtmTags[order.UtmIndex]);
        writer.WriteString("custom", "");
        writer.WriteStartArray("fields");
        writer.WriteEndArray();
        writer.WriteStartArray("baskets");
        foreach (BasketRow basket in baskets)
        {
            WriteBasket(writer, office, order, basket, uniqid, client);
        }
        writer.WriteEndArray();
        EmptyArray(writer, "refunds");
        WriteIntegrations(writer, order);
        SandboxTime.Write(writer, "created_at", order.CreatedAt);
        SandboxTime.Write(writer, "updated_at", order.UpdatedAt);
        SandboxTime.Write(writer, "deleted_at", order.DeletedAt);
        if (webhook)
        {
            // Webhook-only fields; their inner shapes were never captured, so only refunded baskets are listed.
            EmptyArray(writer, "primary_orders");
            EmptyArray(writer, "secondary_orders");
            writer.WriteStartArray("refunded_baskets");
            foreach (BasketRow basket in baskets)
            {
                if (basket.RefundedAt != 0)
                {
                    writer.WriteNumberValue(basket.Id);
                }
            }
            writer.WriteEndArray();
            EmptyArray(writer, "checked_baskets");
            EmptyArray(writer, "unchecked_baskets");
            EmptyArray(writer, "checked_services");
            EmptyArray(writer, "unchecked_services");
        }
        writer.WriteEndObject();
    }

    public static void WriteEvent(Utf8JsonWriter writer, PromoterEvent promoterEvent)
    {
        bool deleted = promoterEvent.DeletedAt != 0;
        string id = promoterEvent.Id.ToString(CultureInfo.InvariantCulture);
        writer.WriteStartObject();
        writer.WriteNumber("id", promoterEvent.Id);
        writer.WriteNumber("is_active", deleted ? 0 : 1);
        writer.WriteString("name", promoterEvent.Name);
        writer.WriteNumber("scheme_id", promoterEvent.Id - 290_000);
        writer.WriteString("currency_id", "RUB");
        writer.WriteString("place_name", promoterEvent.PlaceName);
        writer.WriteString("place_address", promoterEvent.PlaceAddress);
        writer.WriteString("place_description", "");
        writer.WriteNumber("city_id", promoterEvent.City.Id);
        writer.WriteString("description", "Синтетическое мероприятие для тестов. Все данные вымышлены.");
        writer.WriteString("site_url", "https://organizer.example.test/" + promoterEvent.Slug);
        writer.WriteNull("external_id");
        writer.WriteNumber("ticket_id", 501);
        writer.WriteNumber("mail_template_id", 502);
        writer.WriteString("age", promoterEvent.Genre.Age);
        writer.WriteStartArray("shows");
        foreach (PromoterShow show in promoterEvent.Shows)
        {
            WriteShow(writer, show);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("payments");
        if (!deleted)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", PaymentId);
            writer.WriteBoolean("is_active", true);
            writer.WriteString("name", "ООО «Тестовый организатор»");
            writer.WriteString("handler", "payanyway");
            writer.WriteString("agree_url", "https://qtickets.ru/legal/demo-tenant/90001?event=" + id);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartObject("poster");
        writer.WriteNumber("id", promoterEvent.Id - 200_000);
        writer.WriteString("content_type", "image/jpeg");
        writer.WriteNumber("file_size", 100_000 + promoterEvent.Id % 90_000);
        writer.WriteString("url", "https://qtickets.ru/storage/app/uploads/public/000/000/000/poster-" + id + ".jpg");
        writer.WriteEndObject();
        writer.WriteNumber("event_type_id", promoterEvent.Genre.EventTypeId);
        writer.WriteStartObject("city");
        writer.WriteNumber("id", promoterEvent.City.Id);
        writer.WriteString("name", promoterEvent.City.Name);
        writer.WriteString("timezone", promoterEvent.City.Timezone);
        writer.WriteEndObject();
        WriteTemplate(writer, "ticket", 501, "Тестовый шаблон билета");
        WriteTemplate(writer, "mail_template", 502, "Тестовый шаблон письма");
        writer.WriteString("slug", promoterEvent.Slug);
        writer.WriteStartArray("place_coordinates");
        writer.WriteNumberValue(promoterEvent.Latitude);
        writer.WriteNumberValue(promoterEvent.Longitude);
        writer.WriteEndArray();
        writer.WriteString("url", "https://" + promoterEvent.City.Subdomain + ".qtickets.events/" + id + "-" +
            promoterEvent.Slug);
        SandboxTime.Write(writer, "created_at", promoterEvent.CreatedAt);
        SandboxTime.Write(writer, "updated_at", promoterEvent.UpdatedAt);
        SandboxTime.Write(writer, "deleted_at", promoterEvent.DeletedAt);
        writer.WriteEndObject();
    }

    /// <summary><c>/shows/{id}/seats</c> with <c>flat:true</c>: an object keyed by seat id, with every count.</summary>
    public static void WriteSeatsFlat(Utf8JsonWriter writer, PromoterShow show)
    {
        writer.WriteStartObject();
        foreach (ShowZone zone in show.Zones)
        {
            ForEachSeat(zone, (row, place, seat) =>
            {
                string seatId = SeatId(zone, row, place);
                writer.WriteStartObject(seatId);
                writer.WriteString("id", seatId);
                writer.WriteString("root_id", seatId);
                writer.WriteString("name", SeatName(zone, row, place));
                writer.WriteString("zone_id", zone.Id);
                writer.WriteString("zone_root_id", zone.Id);
                writer.WriteString("short_seat_id", ShortSeatId(row, place));
                writer.WriteBoolean("admission", zone.Admission);
                writer.WriteString("row", row.ToString(CultureInfo.InvariantCulture));
                writer.WriteString("place", place.ToString(CultureInfo.InvariantCulture));
                int ordered = WriteCounts(writer, zone, seat, flat: true);
                writer.WriteBoolean("ordered", ordered > 0);
                writer.WriteNumber("payed_quantity", ordered);
                writer.WriteNumber("in_basket_quantity", 0);
                WriteMoney(writer, "price", zone.PriceKopecks);
                writer.WriteString("currency_id", "RUB");
                EmptyArray(writer, "related_seats");
                writer.WriteStartObject("spread");
                writer.WriteNull("partner_id");
                EmptyArray(writer, "users");
                EmptyArray(writer, "client_groups");
                EmptyArray(writer, "client_emails");
                writer.WriteBoolean("agents", false);
                writer.WriteEndObject();
                writer.WriteNumber("color_theme_id", zone.ColorTheme);
                writer.WriteStartArray("coords");
                if (!zone.Admission)
                {
                    writer.WriteNumberValue(90 + place * 30);
                    writer.WriteNumberValue(300 + row * 30);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
        }
        writer.WriteEndObject();
    }

    /// <summary>The zones shape: zones, each with seats keyed <c>row;place</c>; counts only when asked for.</summary>
    public static void WriteSeatsByZone(Utf8JsonWriter writer, PromoterShow show, bool withCounts)
    {
        writer.WriteStartObject();
        foreach (ShowZone zone in show.Zones)
        {
            writer.WriteStartObject(zone.Id);
            writer.WriteString("zone_id", zone.Id);
            writer.WriteString("name", zone.Name);
            writer.WriteString("description", "");
            writer.WriteStartObject("seats");
            ForEachSeat(zone, (row, place, seat) =>
            {
                writer.WriteStartObject(ShortSeatId(row, place));
                writer.WriteString("seat_id", SeatId(zone, row, place));
                writer.WriteBoolean("admission", zone.Admission);
                if (withCounts)
                {
                    WriteCounts(writer, zone, seat, flat: false);
                }
                writer.WriteEndObject();
            });
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    public static void WriteDiscount(Utf8JsonWriter writer, TicketOffice office, Discount discount)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", discount.Id);
        writer.WriteNumber("is_active", discount.IsActive ? 1 : 0);
        writer.WriteString("name", discount.Name);
        SandboxTime.Write(writer, "active_from", discount.ActiveFrom);
        SandboxTime.Write(writer, "active_to", discount.ActiveTo);
        writer.WriteString("type", "P");
        writer.WriteStartArray("events");
        foreach (int index in discount.EventIndexes)
        {
            PromoterEvent promoterEvent = office.Events[index];
            writer.WriteStartObject();
            writer.WriteNumber("id", promoterEvent.Id);
            writer.WriteNumber("is_active", promoterEvent.DeletedAt == 0 ? 1 : 0);
            writer.WriteString("name", promoterEvent.Name);
            SandboxTime.Write(writer, "deleted_at", promoterEvent.DeletedAt);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("shows");
        foreach (PromoterShow show in discount.EventIndexes.SelectMany(i => office.Events[i].Shows))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", show.Id);
            writer.WriteNumber("event_id", office.Events[show.EventIndex].Id);
            SandboxTime.Write(writer, "start_date", show.StartAt);
            SandboxTime.Write(writer, "finish_date", show.FinishAt);
            SandboxTime.Write(writer, "deleted_at", show.DeletedAt);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        SandboxTime.Write(writer, "created_at", discount.CreatedAt);
        SandboxTime.Write(writer, "updated_at", discount.UpdatedAt);
        SandboxTime.Write(writer, "deleted_at", discount.DeletedAt);
        writer.WriteEndObject();
    }

    public static void WritePromoCode(Utf8JsonWriter writer, TicketOffice office, PromoCode code)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", code.Id);
        writer.WriteNumber("is_active", code.IsActive ? 1 : 0);
        writer.WriteNumber("type", 0);
        writer.WriteNumber("discount_id", office.Discounts[code.DiscountIndex].Id);
        writer.WriteString("code", code.Code);
        writer.WriteNumber("max_uses_count", code.MaxUses);
        SandboxTime.Write(writer, "active_from", code.ActiveFrom);
        SandboxTime.Write(writer, "active_to", code.ActiveTo);
        SandboxTime.Write(writer, "created_at", code.CreatedAt);
        SandboxTime.Write(writer, "updated_at", code.UpdatedAt);
        SandboxTime.Write(writer, "deleted_at", code.DeletedAt);
        writer.WriteEndObject();
    }

    private static void WriteClient(Utf8JsonWriter writer, int clientId, Person client, bool webhook)
    {
        writer.WriteStartObject("client");
        writer.WriteNumber("id", clientId);
        writer.WriteString("email", client.Email);
        writer.WriteStartObject("details");
        writer.WriteNumber("id", clientId + 100_000);
        writer.WriteString("name", client.Name);
        writer.WriteString("middlename", client.Middlename);
        writer.WriteString("surname", client.Surname);
        writer.WriteString("phone", client.Phone);
        writer.WriteString("vk_id", "");
        writer.WriteString("facebook_id", "");
        if (webhook)
        {
            writer.WriteNull("telegram_user");
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteBasket(Utf8JsonWriter writer, TicketOffice office, in OrderRow order, in BasketRow basket,
        string uniqid, Person client)
    {
        int seed = office.Seed;
        PromoterShow show = office.Shows[basket.ShowIndex];
        ShowZone zone = show.Zones[basket.ZoneIndex];
        (int row, int place) = zone.Admission ? (1, 1) : (basket.Seat / zone.Places + 1, basket.Seat % zone.Places + 1);
        Person holder = basket.Companion ? PersonalData.Companion(seed, basket.Id) : client;
        bool deleted = basket.DeletedAt != 0;
        bool refunded = basket.RefundedAt != 0;
        string token = PersonalData.UrlToken(seed, basket.Id);

        writer.WriteStartObject();
        writer.WriteNumber("id", basket.Id);
        writer.WriteString("series", "88" + (2_000_000 + office.Events[order.EventIndex].Id).ToString(CultureInfo.InvariantCulture));
        writer.WriteString("barcode", deleted ? null : PersonalData.Barcode(seed, basket.Id));
        writer.WriteNumber("show_id", show.Id);
        writer.WriteString("seat_id", SeatId(zone, row, place));
        writer.WriteString("seat_name", SeatName(zone, row, place));
        WriteMoney(writer, "original_price", basket.OriginalKopecks);
        WriteMoney(writer, "ticket_original_price", basket.OriginalKopecks);
        WriteMoney(writer, "discount_value", basket.DiscountKopecks);
        WriteMoney(writer, "price", basket.PriceKopecks);
        WriteMoney(writer, "ticket_amount", deleted ? 0 : basket.PriceKopecks);
        writer.WriteNumber("service_fee_amount", 0);
        writer.WriteNull("multiprice_code");
        writer.WriteNumber("quantity", 1);
        writer.WriteString("client_email", holder.Email);
        writer.WriteString("client_phone", holder.Phone);
        writer.WriteString("client_name", holder.Name);
        // The order's client may have a null surname while the ticket holder's is "".
        writer.WriteString("client_surname", holder.Surname ?? "");
        writer.WriteString("client_middlename", holder.Middlename);
        foreach (string name in (ReadOnlySpan<string>)["organization_name", "legal_name", "work_position", "inn", "kpp", "comment"])
        {
            writer.WriteNull(name);
        }
        writer.WriteString("pdf_url", deleted ? null : "https://qtickets.ru/ticket/pdf/" + uniqid + "/" + token);
        writer.WriteString("passbook_url", deleted ? null : "https://qtickets.ru/ticket/passbook/" + uniqid + "/" + token);
        EmptyArray(writer, "related_baskets");
        EmptyArray(writer, "services");
        SandboxTime.Write(writer, "checked_at", basket.CheckedAt);
        SandboxTime.Write(writer, "created_at", basket.CreatedAt);
        SandboxTime.Write(writer, "updated_at", basket.UpdatedAt);
        SandboxTime.Write(writer, "deleted_at", basket.DeletedAt);
        SandboxTime.Write(writer, "refunded_at", basket.RefundedAt);
        // Live tickets carry null/null, refunded ones the refund, deleted ones 0/0.
        if (refunded || deleted)
        {
            WriteMoney(writer, "refunded_amount", refunded ? basket.PriceKopecks : 0);
            writer.WriteNumber("refunded_deduction_amount", 0);
        }
        else
        {
            writer.WriteNull("refunded_amount");
            writer.WriteNull("refunded_deduction_amount");
        }
        EmptyArray(writer, "refunds");
        writer.WriteEndObject();
    }

    private static void WriteShow(Utf8JsonWriter writer, PromoterShow show)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", show.Id);
        writer.WriteString("name", "");
        writer.WriteNumber("is_active", 1);
        SandboxTime.Write(writer, "sale_start_date", show.SaleStartAt);
        SandboxTime.Write(writer, "sale_finish_date", show.FinishAt);
        SandboxTime.Write(writer, "open_date", show.StartAt);
        SandboxTime.Write(writer, "start_date", show.StartAt);
        SandboxTime.Write(writer, "finish_date", show.FinishAt);
        WriteSchemeProperties(writer, show);
        writer.WriteStartArray("prices");
        foreach (ShowZone zone in show.Zones)
        {
            WritePrice(writer, null, zone);
        }
        writer.WriteEndArray();
        if (show.HasPriceRange)
        {
            WritePrice(writer, "min_price", show.Zones.MinBy(z => z.PriceKopecks)!);
            WritePrice(writer, "max_price", show.Zones.MaxBy(z => z.PriceKopecks)!);
        }
        else
        {
            writer.WriteNull("min_price");
            writer.WriteNull("max_price");
        }
        SandboxTime.Write(writer, "created_at", show.CreatedAt);
        SandboxTime.Write(writer, "updated_at", show.DeletedAt != 0 ? show.DeletedAt : show.CreatedAt);
        SandboxTime.Write(writer, "deleted_at", show.DeletedAt);
        writer.WriteEndObject();
    }

    private static void WritePrice(Utf8JsonWriter writer, string? name, ShowZone zone)
    {
        if (name is null)
        {
            writer.WriteStartObject();
        }
        else
        {
            writer.WriteStartObject(name);
        }
        writer.WriteNumber("id", zone.PriceId);
        WriteMoney(writer, "default_price", zone.PriceKopecks);
        writer.WriteString("color_theme", zone.ColorTheme.ToString(CultureInfo.InvariantCulture));
        EmptyArray(writer, "modifiers");
        writer.WriteEndObject();
    }

    /// <summary>
    /// A trimmed <c>scheme_properties</c> (the real one is hundreds of kilobytes): every leaf a string, seated
    /// zones with a <c>rows</c> object, admission zones with <c>[""]</c>, and no <c>seats</c> key when nothing is seated.
    /// </summary>
    private static void WriteSchemeProperties(Utf8JsonWriter writer, PromoterShow show)
    {
        writer.WriteStartObject("scheme_properties");
        writer.WriteStartObject("admin");
        writer.WriteStartObject("zones");
        foreach (ShowZone zone in show.Zones)
        {
            writer.WriteStartObject(zone.Id);
            writer.WriteString("opened", "0");
            writer.WriteString("was_opened", "1");
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("zones");
        foreach (ShowZone zone in show.Zones)
        {
            string priceId = zone.PriceId.ToString(CultureInfo.InvariantCulture);
            writer.WriteStartObject(zone.Id);
            writer.WriteString("disabled", "0");
            if (zone.Admission)
            {
                writer.WriteStartObject("spread");
                writer.WriteString("enabled", "");
                writer.WriteEndObject();
                writer.WriteString("price_id", priceId);
                writer.WriteStartArray("rows");
                writer.WriteStringValue("");
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteString("price_id", "");
                writer.WriteString("label", "");
                writer.WriteStartObject("rows");
                for (int row = 1; row <= Math.Min(2, zone.Rows); row++)
                {
                    writer.WriteStartObject(row.ToString(CultureInfo.InvariantCulture));
                    writer.WriteString("disabled", "0");
                    writer.WriteString("price_id", priceId);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
                writer.WriteStartObject("spread");
                writer.WriteString("enabled", "");
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        if (show.Zones.Any(z => !z.Admission))
        {
            writer.WriteStartObject("seats");
            foreach (ShowZone zone in show.Zones)
            {
                ForEachSeat(zone, (row, place, seat) =>
                {
                    if (zone.Admission)
                    {
                        writer.WriteStartObject(SeatId(zone, row, place));
                        writer.WriteString("max_quantity", "");
                        writer.WriteString("hot", "");
                        writer.WriteString("show_free_quantity", "");
                        writer.WriteEndObject();
                    }
                    else if (zone.IsDisabled(seat))
                    {
                        writer.WriteStartObject(SeatId(zone, row, place));
                        writer.WriteString("disabled", "1");
                        writer.WriteEndObject();
                    }
                });
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteUtm(Utf8JsonWriter writer, UtmTag? utm)
    {
        if (utm is null)
        {
            EmptyArray(writer, "utm");
            return;
        }
        writer.WriteStartObject("utm");
        writer.WriteString("utm_source", utm.Source);
        WriteStringIfAny(writer, "utm_medium", utm.Medium);
        WriteStringIfAny(writer, "utm_campaign", utm.Campaign);
        WriteStringIfAny(writer, "utm_content", utm.Content);
        WriteStringIfAny(writer, "utm_term", utm.Term);
        writer.WriteEndObject();
    }

    private static void WriteIntegrations(Utf8JsonWriter writer, in OrderRow order)
    {
        bool visit = order.Traits.HasFlag(OrderTraits.RoistatVisit);
        if (!visit && !order.Traits.HasFlag(OrderTraits.RoistatVisitNull))
        {
            EmptyArray(writer, "integrations");
            return;
        }
        writer.WriteStartObject("integrations");
        writer.WriteStartObject("roistat");
        writer.WriteString("roistat_visit",
            visit ? (700_000 + order.Id % 300_000).ToString(CultureInfo.InvariantCulture) : null);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteTemplate(Utf8JsonWriter writer, string name, int id, string title)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("id", id);
        writer.WriteNumber("is_active", 1);
        writer.WriteString("name", title);
        writer.WriteEndObject();
    }

    /// <summary>Whole roubles as integers (as the API sends them), kopecks as a fraction.</summary>
    private static void WriteMoney(Utf8JsonWriter writer, string name, long kopecks)
    {
        if (kopecks % 100 == 0)
        {
            writer.WriteNumber(name, kopecks / 100);
        }
        else
        {
            writer.WriteNumber(name, kopecks / 100m);
        }
    }

    private static void WriteIdOrNull(Utf8JsonWriter writer, string name, int? id)
    {
        if (id is { } value)
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteStringIfAny(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void EmptyArray(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartArray(name);
        writer.WriteEndArray();
    }

    /// <summary>Seated zones list every seat; an admission zone is the one record <c>1;1</c>.</summary>
    private static void ForEachSeat(ShowZone zone, Action<int, int, int> visit)
    {
        if (zone.Admission)
        {
            visit(1, 1, 0);
            return;
        }
        for (int seat = 0; seat < zone.SeatCount; seat++)
        {
            visit(seat / zone.Places + 1, seat % zone.Places + 1, seat);
        }
    }

    /// <summary>
    /// A seat's counts (the flat shape adds <c>ordered_quantity</c>); returns the ordered quantity. A disabled seat
    /// still reports its free quantity: only "disabled" says it cannot be sold.
    /// </summary>
    private static int WriteCounts(Utf8JsonWriter writer, ShowZone zone, int seat, bool flat)
    {
        (int max, int free) = zone.Admission ? (zone.Capacity, zone.Capacity - zone.HeldCount) : (1, zone.IsHeld(seat) ? 0 : 1);
        bool disabled = zone.IsDisabled(seat);
        writer.WriteNumber("max_quantity", max);
        writer.WriteNumber("free_quantity", free);
        if (flat)
        {
            writer.WriteNumber("ordered_quantity", max - free);
        }
        writer.WriteBoolean("available", !disabled && free > 0);
        writer.WriteBoolean("disabled", disabled);
        return max - free;
    }

    private static string SeatId(ShowZone zone, int row, int place) => zone.Id + "-" + ShortSeatId(row, place);

    private static string ShortSeatId(int row, int place) =>
        row.ToString(CultureInfo.InvariantCulture) + ";" + place.ToString(CultureInfo.InvariantCulture);

    private static string SeatName(ShowZone zone, int row, int place) => zone.Admission
        ? zone.Name
        : zone.Name + ": Ряд " + row.ToString(CultureInfo.InvariantCulture) + ", Место " +
          place.ToString(CultureInfo.InvariantCulture);
}
