namespace Zakaz.Pipeline.Sheets;

/// <summary>
/// CSV as spreadsheets write it (RFC 4180 quoting, CRLF or LF, a byte order mark), separated by <c>;</c>
/// (Russian Excel, where <c>,</c> is the decimal mark), <c>,</c> or a tab: whichever the header uses most.
/// </summary>
public static class CsvText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // UTF-32 LE first: its byte order mark begins with UTF-16 LE's.
    private static readonly Encoding[] Marked =
        [new UTF32Encoding(bigEndian: false, byteOrderMark: true), Encoding.Unicode, Encoding.BigEndianUnicode, new UTF32Encoding(bigEndian: true, byteOrderMark: true)];

    /// <summary>
    /// A file's text: the encoding its byte order mark names (Excel's "Unicode text" is UTF-16), else UTF-8, or
    /// Windows-1251 when it is not valid UTF-8, as Russian Excel saves CSV.
    /// </summary>
    public static string Decode(byte[] bytes)
    {
        foreach (var encoding in Marked)
        {
            var mark = encoding.Preamble;
            if (bytes.AsSpan().StartsWith(mark))
            {
                return encoding.GetString(bytes.AsSpan(mark.Length));
            }
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(1251)!.GetString(bytes);
        }
    }

    public static SheetTable Parse(string source, string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new SheetFormatException($"{source} holds NUL characters, so it is not CSV text (UTF-16 without a byte order mark?). Save it as CSV UTF-8.");
        }
        var records = Records(text.TrimStart('\uFEFF'), Separator(text)).ToArray();
        if (records.Length == 0 || records[0].Cells.All(string.IsNullOrWhiteSpace))
        {
            throw new SheetFormatException($"{source} is empty: it needs a header row.");
        }
        return new SheetTable(source, records[0].Cells, records.Skip(1).Where(r => !r.IsBlank).ToArray());
    }

    // The header holds names, never numbers, so the separator it uses is the file's (a tab in Excel's "Unicode text").
    private static char Separator(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        return new[] { ',', ';', '\t' }.MaxBy(separator => header.Count(c => c == separator));
    }

    private static IEnumerable<SheetRow> Records(string text, char separator)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    cell.Append(c);
                }
                continue;
            }
            if (c == '"' && cell.ToString().Trim().Length == 0)
            {
                cell.Clear();
                quoted = true;
                any = true;
            }
            else if (c == separator)
            {
                cells.Add(cell.ToString());
                cell.Clear();
                any = true;
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                cells.Add(cell.ToString());
                yield return new SheetRow(recordLine, cells.ToArray());
                cells.Clear();
                cell.Clear();
                any = false;
                line++;
                recordLine = line;
            }
            else
            {
                cell.Append(c);
                any = true;
            }
        }
        if (any || cell.Length > 0)
        {
            cells.Add(cell.ToString());
            yield return new SheetRow(recordLine, cells.ToArray());
        }
    }
}
