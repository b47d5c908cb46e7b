using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Documents;

/// <summary>A document's text as read from what the administrator gave, or why it was refused.</summary>
public sealed record TextIntake(string? Text, string? Error)
{
    public static TextIntake Refused(string error) => new(null, error);
}

/// <summary>
/// Turns pasted text, a .txt file (UTF-8 or GB18030) or a .docx file into the cleaned text a
/// document is stored as. Anything that is not readable Chinese text is refused with a message
/// saying what is wrong, before anything is stored.
/// </summary>
public static partial class DocumentText
{
    /// <summary>Upload limit: the five seeded plans are 10–70 KB; a 2 MB text is a book, not a notice.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>Text limit after reading (a .docx can hold more text than its zipped size suggests).</summary>
    public const int MaxChars = 400_000;

    static DocumentText()
    {
        // GB18030 is not built into .NET Core; the code-pages provider in the shared framework has it.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static Encoding StrictGb18030 => Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    public static TextIntake FromPaste(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return TextIntake.Refused(T("正文为空:请粘贴文件正文,或上传 .txt / .docx 文件。", "The text is empty: paste the document's text or upload a .txt / .docx file."));
        }
        return Finish(text);
    }

    public static TextIntake FromFile(string fileName, byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return TextIntake.Refused(T("上传的文件是空的。", "The uploaded file is empty."));
        }
        if (bytes.Length > MaxBytes)
        {
            return TooLarge(bytes.Length);
        }
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        return extension switch
        {
            ".txt" => Finish(DecodeText(bytes, out var error) ?? "", error),
            ".docx" => FromDocx(bytes),
            _ => TextIntake.Refused(T($"不支持“{extension}”文件:请上传 .txt(UTF-8 或 GB18030 编码)或 .docx 文件。",
                $"“{extension}” files are not supported: upload a .txt (UTF-8 or GB18030) or .docx file.")),
        };
    }

    public static TextIntake TooLarge(long bytes) =>
        TextIntake.Refused(T($"文件过大({bytes / 1024} KB),上限为 {MaxBytes / 1024 / 1024} MB。", $"The file is too large ({bytes / 1024} KB); the limit is {MaxBytes / 1024 / 1024} MB."));

    /// <summary>UTF-8 first (with or without a byte-order mark), then GB18030; null with the reason otherwise.</summary>
    public static string? DecodeText(byte[] bytes, out string? error)
    {
        error = null;
        // NUL bytes do not occur in UTF-8 or GB18030 text: this is a binary file (or UTF-16, which
        // Windows Notepad calls "Unicode" — the message says how to save it instead).
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            error = T("这不是文本文件(含有二进制内容)。如为记事本保存的“Unicode”文件,请另存为 UTF-8 后再上传。",
                "This is not a text file (it contains binary data). If it was saved as “Unicode” in Notepad, save it as UTF-8 and upload again.");
            return null;
        }
        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
        }
        try
        {
            return StrictGb18030.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            error = T("无法识别文件的文字编码:请将文件另存为 UTF-8 或 GB18030(GBK)编码的 .txt 后再上传。",
                "The file's text encoding is not recognised: save it as a .txt in UTF-8 or GB18030 (GBK) and upload again.");
            return null;
        }
    }

    private static TextIntake FromDocx(byte[] bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var document = WordprocessingDocument.Open(stream, false);
            var body = document.MainDocumentPart?.Document?.Body;
            if (body is null)
            {
                return TextIntake.Refused(T("该 .docx 文件没有正文。", "The .docx file has no body text."));
            }
            // One line per paragraph, as the seeded plans have one per heading or paragraph; tables
            // are read cell by cell in reading order (their paragraphs are descendants too).
            var lines = body.Descendants<Paragraph>().Select(ParagraphText);
            return Finish(string.Join("\n", lines));
        }
        catch (Exception e) when (e is OpenXmlPackageException or FileFormatException or InvalidDataException or IOException
                                      or System.Xml.XmlException or InvalidOperationException or ArgumentException)
        {
            return TextIntake.Refused(T("无法读取该 .docx 文件:文件已损坏,或并非 Word 文档。", "The .docx file cannot be read: it is damaged or not a Word document."));
        }
    }

    private static string ParagraphText(Paragraph p)
    {
        var text = new StringBuilder();
        foreach (var element in p.Descendants())
        {
            switch (element)
            {
                case Text t: text.Append(t.Text); break;
                case TabChar: text.Append(' '); break;
                case Break or CarriageReturn: text.Append('\n'); break;
            }
        }
        return text.ToString();
    }

    private static TextIntake Finish(string text, string? error = null)
    {
        if (error is not null)
        {
            return TextIntake.Refused(error);
        }
        var cleaned = Clean(text);
        if (cleaned.Length == 0)
        {
            return TextIntake.Refused(T("文件中没有文字。", "The document contains no text."));
        }
        if (cleaned.Length > MaxChars)
        {
            return TextIntake.Refused(T($"正文过长({cleaned.Length} 字),上限为 {MaxChars} 字。", $"The text is too long ({cleaned.Length} characters); the limit is {MaxChars}."));
        }
        // Control characters other than line breaks and tabs mean this is not text that was read
        // correctly (e.g. a binary file that happens to decode); CJK must be present in a Chinese document.
        if (cleaned.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
        {
            return TextIntake.Refused(T("这不是文本文件(含有控制字符)。", "This is not a text file (it contains control characters)."));
        }
        if (!cleaned.Any(c => c is >= '\u4e00' and <= '\u9fff'))
        {
            return TextIntake.Refused(T("正文中没有汉字:请确认上传的是中文政策文件,且编码为 UTF-8 或 GB18030。",
                "The text contains no Chinese characters: check that this is a Chinese policy document encoded in UTF-8 or GB18030."));
        }
        return new TextIntake(cleaned, null);
    }

    /// <summary>
    /// The stored form of a text: Unix line ends, no byte-order mark or zero-width characters,
    /// non-breaking and full-width spaces at line ends trimmed, at most one blank line in a row —
    /// the shape of the seeded plans, so the clause parser sees headings at line starts.
    /// </summary>
    public static string Clean(string text)
    {
        var s = text.Replace("\r\n", "\n").Replace('\r', '\n').Replace("\uFEFF", "").Replace("\u200B", "").Replace("\u200C", "").Replace("\u200D", "")
            .Replace('\u00A0', ' ');
        var lines = s.Split('\n').Select(l => l.TrimEnd(' ', '\t', '\u3000'));
        var joined = string.Join("\n", lines);
        return BlankRuns().Replace(joined, "\n\n").Trim('\n', ' ', '\t', '\u3000');
    }

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankRuns();
}
