using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace PolicyMatch.Web.Features.Shared;

/// <summary>
/// CSV files meant to be opened in Excel: UTF-8 with a BOM (without it Excel reads the file in the
/// machine's code page and Chinese turns to mojibake), CRLF line ends, and values that start like a
/// formula (=, +, -, @) escaped, since company names come from users and uploads.
/// </summary>
public static class ExcelCsv
{
    public static byte[] Write(IEnumerable<IReadOnlyList<string>> rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape, NewLine = "\r\n" }))
        {
            foreach (var row in rows)
            {
                foreach (var value in row)
                {
                    csv.WriteField(value);
                }
                csv.NextRecord();
            }
        }
        return stream.ToArray();
    }
}
