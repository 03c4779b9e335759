namespace Zakaz.Sources.GoogleSheets;

/// <summary>A sheet could not be read: the message names the sheet and says what to do; never a key or a token.</summary>
public sealed class GoogleSheetsException(string message, int? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    public int? StatusCode { get; } = statusCode;
}
