using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace Zakaz.Sources.Qtickets;

/// <summary>
/// The order JSON that may be stored (<c>payload_json</c>): the order as received minus personal data (PII) and
/// capability secrets (spec §3), and minus any identifier of a person: a client or user id is as stable as a name,
/// and kept beside <c>buyer_key</c> it would undo the keyed hash. Fields are removed by name at any depth (baskets,
/// webhook-only nested orders, refund records), as is any <c>*_client_id</c> or <c>*_user_id</c> a new field may bring.
/// As a net under the list, any string that looks like an e-mail address or an international phone number is removed
/// too, whatever its field is called. Migration 0014 scrubs payloads stored before.
/// </summary>
internal static partial class OrderPayload
{
    internal static readonly HashSet<string> DeniedFields = new(StringComparer.OrdinalIgnoreCase)
    {
        // Capability secrets: public order code, payment and ticket links, the entry credential.
        "uniqid", "payment_url", "cancel_url", "pdf_url", "passbook_url", "gpass_url", "barcode",
        // Who bought: the client (its ids included) and the accounts that made the basket or the order.
        "client", "client_id", "user_id", "basket_user_id", "backend_user_id",
        // Integrations carry third-party visitor ids (e.g. Roistat's roistat_visit), in no fixed shape.
        "integrations",
        // Buyer and ticket-holder data.
        "payment_card_number", "client_email", "client_phone", "client_name", "client_surname", "client_middlename",
        "organization_name", "legal_name", "work_position", "inn", "kpp", "comment",
        "email", "phone", "name", "surname", "middlename", "details", "telegram_user", "vk_id", "facebook_id",
        // Free-form form answers; they hold whatever the buyer typed.
        "custom", "fields",
    };

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Scrub(JsonElement order)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, order);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    if (IsDenied(property.Name) || IsPersonalText(property.Value))
                    {
                        continue;
                    }
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    if (!IsPersonalText(item))
                    {
                        Write(writer, item);
                    }
                }
                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    internal static bool IsDenied(string name) =>
        DeniedFields.Contains(name)
        || name.EndsWith("_client_id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_user_id", StringComparison.OrdinalIgnoreCase);

    private static bool IsPersonalText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && (EmailLike().IsMatch(text) || PhoneLike().IsMatch(text));

    [GeneratedRegex(@"[^\s@]+@[^\s@]+\.[^\s@]+")]
    internal static partial Regex EmailLike();

    [GeneratedRegex(@"^\s*\+\s*\d[\d\s().-]{8,}$")]
    internal static partial Regex PhoneLike();
}
