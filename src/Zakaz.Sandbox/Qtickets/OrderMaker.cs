using static Zakaz.Sandbox.Qtickets.SandboxTime;

namespace Zakaz.Sandbox.Qtickets;

/// <summary>
/// Places one order the way buyers and the box office do: a reservation, then payment or expiry; later perhaps a
/// refund or a scan at the door. Each order draws from its own random stream (seed, order number), so the same
/// seed always gives the same orders and appending orders never changes earlier ones.
/// </summary>
internal static class OrderMaker
{
    private const double CancelledUnpaidShare = 0.095;
    private const double CancelledAfterPaymentShare = 0.005;
    private const double RefundShare = 0.025;
    private const double CheckedInShare = 0.85;
    private const double UntaggedShare = 0.35;
    private const double DiscountShare = 0.06;
    private const double FreeTicketShare = 0.01;

    /// <summary>1 to 4 tickets per order.</summary>
    private static ReadOnlySpan<double> BasketCountWeights => [45, 35, 12, 8];

    /// <summary>Seated zones first, admission last; by the number of zones a venue has.</summary>
    private static ReadOnlySpan<double> TwoZoneWeights => [0.25, 0.75];

    private static ReadOnlySpan<double> ThreeZoneWeights => [0.6, 0.3, 0.1];

    /// <summary>An event on sale at <paramref name="at"/>, by popularity; for orders added after generation.</summary>
    public static int PickOpenEvent(TicketOffice office, long at, int salt)
    {
        var weights = new double[office.Events.Count];
        for (int i = 0; i < weights.Length; i++)
        {
            PromoterEvent candidate = office.Events[i];
            bool open = candidate.CreatedAt < at && (candidate.DeletedAt == 0 || candidate.DeletedAt > at) &&
                candidate.Shows.Any(s => s.DeletedAt == 0 && s.StartAt > at + Hour);
            weights[i] = open ? candidate.Popularity : 0;
        }
        if (weights.All(w => w == 0))
        {
            throw new InvalidOperationException($"No event is on sale at {Format(at)}: every show has started.");
        }
        return SandboxRandom.For(office.Seed, SandboxRandom.Purpose.Schedule, -1L - salt).PickWeighted(weights);
    }

    public static long Append(TicketOffice office, int eventIndex, long createdAt)
    {
        int number = office.Orders.Count;
        var random = SandboxRandom.For(office.Seed, SandboxRandom.Purpose.Orders, number);
        PromoterShow show = PickShow(office.Events[eventIndex], createdAt, ref random);
        // Nothing generated happens after the anchor, except for orders a test adds later than it.
        long horizon = Math.Max(office.Anchor, createdAt + 15 * Minute);

        var order = new OrderRow
        {
            Id = office.LastOrderId + 1 + (random.Chance(0.3) ? random.Next(1, 4) : 0),
            EventIndex = eventIndex,
            FirstBasket = office.Baskets.Count,
            BasketCount = random.PickWeighted(BasketCountWeights) + 1,
            ClientId = 700_001 + (int)(office.ClientPool * Math.Pow(random.NextDouble(), 1.6)),
            CreatedAt = createdAt,
            DiscountIndex = -1,
            PromoCodeIndex = -1,
        };
        Settle(ref order, horizon, ref random);
        Tag(office, ref order, ref random);
        (int discountPercent, order.DiscountIndex, order.PromoCodeIndex) = PickDiscount(office, order, ref random);
        AddBaskets(office, order, show, discountPercent, ref random);
        if (order.IsSale)
        {
            AfterSale(office, ref order, show, horizon, ref random);
        }
        office.Orders.Add(order);
        return order.Id;
    }

    private static PromoterShow PickShow(PromoterEvent promoterEvent, long createdAt, ref SandboxRandom random)
    {
        PromoterShow[] open = [.. promoterEvent.Shows.Where(s => s.DeletedAt == 0 && s.StartAt > createdAt + 30 * Minute)];
        return open.Length > 0 ? random.Pick(open) : promoterEvent.Shows.Last(s => s.DeletedAt == 0);
    }

    /// <summary>Payment, expiry or a pending reservation; reservations last 15 minutes, or a day when extended.</summary>
    private static void Settle(ref OrderRow order, long horizon, ref SandboxRandom random)
    {
        double fate = random.NextDouble();
        if (fate < CancelledUnpaidShare)
        {
            bool extended = random.Chance(0.2);
            order.Traits |= extended ? OrderTraits.ReserveExtended : OrderTraits.None;
            order.ReservedTo = order.CreatedAt + (extended ? Day : 15 * Minute);
            long expiredAt = order.ReservedTo + random.Next(10, 20 * Minute);
            // A reservation that would expire after the horizon is still pending: unpaid and not deleted.
            order.DeletedAt = expiredAt <= horizon ? expiredAt : 0;
            order.UpdatedAt = order.DeletedAt == 0 ? order.CreatedAt : expiredAt;
            return;
        }
        order.ReservedTo = order.CreatedAt;
        long payedAt = order.CreatedAt + random.Next(40, 10 * Minute);
        if (payedAt > horizon)
        {
            order.ReservedTo = order.CreatedAt + 15 * Minute;
            order.UpdatedAt = order.CreatedAt;
            return;
        }
        order.PayedAt = payedAt;
        order.UpdatedAt = Math.Min(horizon, payedAt + (random.Chance(0.5) ? 0 : random.Next(Minute, 8 * Hour)));
        if (fate < CancelledUnpaidShare + CancelledAfterPaymentShare && payedAt + 2 * Hour < horizon)
        {
            order.DeletedAt = random.Next(payedAt + Hour, Math.Min(horizon, payedAt + 10 * Day));
            order.UpdatedAt = order.DeletedAt;
        }
    }

    private static void Tag(TicketOffice office, ref OrderRow order, ref SandboxRandom random)
    {
        PromoterEvent promoterEvent = office.Events[order.EventIndex];
        if (random.Chance(0.02))
        {
            order.Traits |= OrderTraits.BackOffice;
            order.UtmIndex = -1;
        }
        else
        {
            order.UtmIndex = random.Chance(UntaggedShare)
                ? -1
                : promoterEvent.UtmTags[random.PickWeighted(promoterEvent.UtmWeights)];
        }
        double payment = random.NextDouble();
        order.Traits |= payment < 0.08 ? OrderTraits.PayByNumericType
            : payment < 0.2 ? OrderTraits.PayByBankcard
            : OrderTraits.None;
        order.Traits |= random.Chance(0.1) ? OrderTraits.SecondSite : OrderTraits.None;
        double roistat = random.NextDouble();
        order.Traits |= roistat < 0.15 ? OrderTraits.RoistatVisit
            : roistat < 0.2 ? OrderTraits.RoistatVisitNull
            : OrderTraits.None;
    }

    /// <summary>A discount valid for the event on the order's day (rarely a free ticket), with its promo code or not.</summary>
    private static (int Percent, short Discount, short PromoCode) PickDiscount(TicketOffice office, in OrderRow order,
        ref SandboxRandom random)
    {
        double chance = random.NextDouble();
        if (chance >= DiscountShare + FreeTicketShare)
        {
            return (0, -1, -1);
        }
        bool free = chance < FreeTicketShare;
        long at = order.CreatedAt;
        int eventIndex = order.EventIndex;
        short[] valid = [.. Enumerable.Range(0, office.Discounts.Count).Select(i => (short)i).Where(i =>
        {
            Discount discount = office.Discounts[i];
            return (discount.Percent == 100) == free && discount.EventIndexes.Contains(eventIndex) &&
                discount.ActiveFrom <= at && (discount.ActiveTo == 0 || at <= discount.ActiveTo);
        })];
        if (valid.Length == 0)
        {
            return (0, -1, -1);
        }
        short chosen = random.Pick(valid);
        short[] codes = [.. Enumerable.Range(0, office.PromoCodes.Count).Select(i => (short)i)
            .Where(i => office.PromoCodes[i].DiscountIndex == chosen)];
        // A free ticket always comes through a promo code; other discounts mostly do.
        short code = codes.Length > 0 && (free || random.Chance(0.7)) ? random.Pick(codes) : (short)-1;
        return (office.Discounts[chosen].Percent, chosen, code);
    }

    private static void AddBaskets(TicketOffice office, in OrderRow order, PromoterShow show, int discountPercent,
        ref SandboxRandom random)
    {
        int showIndex = office.FindShow(show.Id) ?? throw new InvalidOperationException($"Show {show.Id} is unknown.");
        IReadOnlyList<ShowZone> zones = show.Zones;
        int wanted = zones.Count switch
        {
            1 => 0,
            2 => random.PickWeighted(TwoZoneWeights),
            _ => random.PickWeighted(ThreeZoneWeights),
        };
        bool holdsPlaces = order.DeletedAt == 0;
        long basketCreatedAt = order.CreatedAt - order.BasketCount * random.Next(5, 40);
        for (int i = 0; i < order.BasketCount; i++)
        {
            // Seated zones fill up; the admission zone always has room (its capacity is sized afterwards).
            int zoneIndex = wanted;
            int? taken = zones[wanted].Take();
            if (taken is null)
            {
                zoneIndex = zones.Count - 1;
                taken = zones[zoneIndex].Take();
            }
            ShowZone zone = zones[zoneIndex];
            int seat = taken ?? 0;
            if (!holdsPlaces)
            {
                zone.Release(seat);
            }
            long original = zone.PriceKopecks;
            basketCreatedAt += random.Next(3, 40);
            office.Baskets.Add(new BasketRow
            {
                Id = office.LastBasketId + 1 + (random.Chance(0.1) ? random.Next(1, 3) : 0),
                ShowIndex = showIndex,
                ZoneIndex = (byte)zoneIndex,
                Seat = seat,
                OriginalKopecks = original,
                DiscountKopecks = (long)Math.Round(original * discountPercent / 100m, MidpointRounding.AwayFromZero),
                CreatedAt = Math.Min(basketCreatedAt, order.CreatedAt),
                UpdatedAt = order.DeletedAt != 0 ? order.DeletedAt : order.PayedAt != 0 ? order.PayedAt : order.CreatedAt,
                DeletedAt = order.DeletedAt,
                Companion = i > 0 && random.Chance(0.3),
            });
        }
    }

    /// <summary>What happens to a sale later: sometimes a refund before the show, mostly a scan at the door.</summary>
    private static void AfterSale(TicketOffice office, ref OrderRow order, PromoterShow show, long horizon,
        ref SandboxRandom random)
    {
        Span<BasketRow> baskets = office.BasketsOf(order);
        if (random.Chance(RefundShare))
        {
            long latest = Math.Min(show.StartAt, horizon);
            if (latest > order.PayedAt + 2 * Hour)
            {
                ref BasketRow refunded = ref baskets[random.Next(baskets.Length)];
                refunded.RefundedAt = random.Next(order.PayedAt + Hour, latest);
                refunded.UpdatedAt = refunded.RefundedAt;
                office.ZoneOf(refunded).Release(refunded.Seat);
                order.UpdatedAt = Math.Max(order.UpdatedAt, refunded.RefundedAt);
            }
        }
        if (show.StartAt >= horizon)
        {
            return;
        }
        foreach (ref BasketRow basket in baskets)
        {
            if (basket.IsLive && random.Chance(CheckedInShare))
            {
                long checkedAt = show.StartAt - random.Next(0, 90 * Minute);
                if (checkedAt > order.PayedAt)
                {
                    basket.CheckedAt = checkedAt;
                    basket.UpdatedAt = Math.Max(basket.UpdatedAt, checkedAt);
                    order.UpdatedAt = Math.Max(order.UpdatedAt, checkedAt);
                }
            }
        }
    }
}
