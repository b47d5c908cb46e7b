using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using PolicyMatch.Web.Features.Documents;

namespace PolicyMatch.Web.Tests.Documents;

/// <summary>What an administrator's file or pasted text becomes, and every way it is refused.</summary>
public class DocumentTextTests
{
    private const string Sample = "关于开展研发投入补贴申报工作的通知\r\n一、支持对象\r\n注册在昌平区的企业。\r\n\r\n\r\n\r\n二、申报时间\u3000\r\n";

    static DocumentTextTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public void Utf8_text_with_or_without_a_byte_order_mark_is_read_and_cleaned()
    {
        var plain = DocumentText.FromFile("notice.txt", Encoding.UTF8.GetBytes(Sample));
        var bom = DocumentText.FromFile("notice.TXT", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Sample)]);

        Assert.Null(plain.Error);
        Assert.Equal("关于开展研发投入补贴申报工作的通知\n一、支持对象\n注册在昌平区的企业。\n\n二、申报时间", plain.Text);
        Assert.Equal(plain.Text, bom.Text);
    }

    [Fact]
    public void Gb18030_text_is_read()
    {
        var bytes = Encoding.GetEncoding("GB18030").GetBytes(Sample);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(bytes)); // really not UTF-8

        var intake = DocumentText.FromFile("notice.txt", bytes);

        Assert.Null(intake.Error);
        Assert.StartsWith("关于开展研发投入补贴申报工作的通知\n一、支持对象", intake.Text);
    }

    [Fact]
    public void A_binary_file_is_refused()
    {
        var pdf = "%PDF-1.7\n"u8.ToArray().Concat(new byte[] { 0, 1, 2, 0xFF, 0x00 }).ToArray();
        var intake = DocumentText.FromFile("notice.txt", pdf);
        Assert.Null(intake.Text);
        Assert.Contains("这不是文本文件", intake.Error);
    }

    [Fact]
    public void Utf16_text_is_refused_with_how_to_save_it()
    {
        var intake = DocumentText.FromFile("notice.txt", Encoding.Unicode.GetBytes(Sample));
        Assert.Null(intake.Text);
        Assert.Contains("另存为 UTF-8", intake.Error);
    }

    [Fact]
    public void Bytes_that_are_neither_utf8_nor_gb18030_are_refused()
    {
        // 0x81 starts a GB18030 double-byte character, which cannot end in a space; 0xFF is never valid.
        var intake = DocumentText.FromFile("notice.txt", [0xE6, 0x94, 0xBF, 0x81, 0x20, 0xFF, 0xFF]);
        Assert.Null(intake.Text);
        Assert.Contains("无法识别文件的文字编码", intake.Error);
    }

    [Fact]
    public void Empty_files_blank_pastes_and_text_without_chinese_are_refused()
    {
        Assert.Contains("空的", DocumentText.FromFile("a.txt", []).Error);
        Assert.Contains("没有文字", DocumentText.FromFile("a.txt", "\r\n \u3000\r\n"u8.ToArray()).Error);
        Assert.Contains("正文为空", DocumentText.FromPaste("  \n ").Error);
        Assert.Contains("没有汉字", DocumentText.FromPaste("Lorem ipsum dolor sit amet.").Error);
    }

    [Fact]
    public void Files_over_the_limit_and_other_types_are_refused()
    {
        var big = new byte[DocumentText.MaxBytes + 1];
        Assert.Contains("文件过大", DocumentText.FromFile("a.txt", big).Error);
        Assert.Contains("不支持", DocumentText.FromFile("a.pdf", Encoding.UTF8.GetBytes(Sample)).Error);
        Assert.Contains("不支持", DocumentText.FromFile("a.doc", Encoding.UTF8.GetBytes(Sample)).Error);
    }

    [Fact]
    public void A_docx_gives_one_line_per_paragraph()
    {
        var intake = DocumentText.FromFile("notice.docx", Docx("关于开展研发投入补贴申报工作的通知", "一、支持对象", "注册在昌平区的企业。"));
        Assert.Null(intake.Error);
        Assert.Equal("关于开展研发投入补贴申报工作的通知\n一、支持对象\n注册在昌平区的企业。", intake.Text);
    }

    [Fact]
    public void A_damaged_docx_or_a_text_file_named_docx_is_refused()
    {
        var docx = Docx("正文。");
        Assert.Contains("无法读取该 .docx 文件", DocumentText.FromFile("a.docx", docx[..(docx.Length / 2)]).Error);
        Assert.Contains("无法读取该 .docx 文件", DocumentText.FromFile("a.docx", Encoding.UTF8.GetBytes(Sample)).Error);
    }

    /// <summary>A real Word document made with the OpenXml SDK, one paragraph per line.</summary>
    public static byte[] Docx(params string[] paragraphs)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(paragraphs.Select(p => new Paragraph(new Run(new Text(p) { Space = SpaceProcessingModeValues.Preserve })))));
            main.Document.Save();
        }
        return stream.ToArray();
    }
}
