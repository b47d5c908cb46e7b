using System.Net;
using System.Net.Http.Headers;
using System.Text;
using DocumentFormat.OpenXml;
using Microsoft.AspNetCore.Http;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Tests.Documents;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Notices.NoticeFixtures;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>Files of notices: PDF, DOCX, XLSX by their bytes, size-limited, stored, and served only to those who may see the notice.</summary>
public class AttachmentFileTests
{
    public static byte[] Pdf(int padding = 0) =>
        [.. "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"u8.ToArray(), .. new byte[padding], .. "%%EOF\n"u8.ToArray()];

    public static byte[] Xlsx()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(new SheetData(new Row(new Cell { CellValue = new CellValue("申报表"), DataType = CellValues.String })));
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "Sheet1" }));
        }
        return stream.ToArray();
    }

    /// <summary>A Windows program's first bytes ("MZ"), as an .exe renamed to .pdf would have.</summary>
    public static readonly byte[] Program = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0];

    [Fact]
    public void The_type_is_read_from_the_bytes()
    {
        Assert.Equal(AttachmentFiles.Pdf, AttachmentFiles.TypeOf(Pdf()));
        Assert.Equal(AttachmentFiles.Docx, AttachmentFiles.TypeOf(DocumentTextTests.Docx("申报指南")));
        Assert.Equal(AttachmentFiles.Xlsx, AttachmentFiles.TypeOf(Xlsx()));
        Assert.Null(AttachmentFiles.TypeOf(Program));
        Assert.Null(AttachmentFiles.TypeOf("PK\u0003\u0004 not really a zip"u8.ToArray()));
        Assert.Null(AttachmentFiles.TypeOf(Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")));
    }

    private static IFormFile Upload(string name, byte[] bytes) => new FormFile(new MemoryStream(bytes), 0, bytes.Length, "file", name);

    [Theory]
    [InlineData("guide.exe", "只能是 PDF、DOCX 或 XLSX")]
    [InlineData("guide.doc", "只能是 PDF、DOCX 或 XLSX")]
    [InlineData("guide.pdf", "不是 PDF 文件")]            // a program renamed .pdf
    public async Task A_forbidden_type_or_a_renamed_binary_is_refused(string name, string message)
    {
        var (file, error) = await AttachmentFiles.ReadAsync(Upload(name, Program), CancellationToken.None);
        Assert.Null(file);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task A_word_file_named_xlsx_and_an_oversized_pdf_are_refused()
    {
        var (_, wrongName) = await AttachmentFiles.ReadAsync(Upload("表.xlsx", DocumentTextTests.Docx("正文")), CancellationToken.None);
        Assert.Contains("不是 Excel 文件", wrongName);
        var (_, tooLarge) = await AttachmentFiles.ReadAsync(Upload("大.pdf", Pdf(AttachmentFiles.MaxBytes)), CancellationToken.None);
        Assert.Contains("文件过大", tooLarge);
        Assert.Contains("上限为 10 MB", tooLarge);
        var (ok, none) = await AttachmentFiles.ReadAsync(Upload("C:\\路径\\申报表.xlsx", Xlsx()), CancellationToken.None);
        Assert.Null(none);
        Assert.Equal("申报表.xlsx", ok!.FileName);
    }
}

public class NoticeAttachmentPageTests(Portal portal) : IClassFixture<Portal>
{
    private static async Task<HttpResponseMessage> UploadAsync(Session admin, string noticeId, string name, byte[] bytes)
    {
        var page = await admin.PageAsync($"/admin/notices/{noticeId}");
        var action = $"/admin/notices/{noticeId}/attachments";
        var token = page.QuerySelector($"form[action='{action}'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent(token), "__RequestVerificationToken");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, "file", name);
        return await admin.Client.PostAsync(action, content);
    }

    private async Task<long> CountAsync(string noticeId) =>
        await portal.ScalarAsync<long>("SELECT COUNT(*) FROM notice_attachments WHERE notice_id = @Id", new { Id = noticeId });

    [Fact]
    public async Task An_attachment_is_served_to_administrators_before_publication_and_to_everyone_after()
    {
        using var admin = await portal.SignInAsync(Roles.Admin);
        var id = await portal.ScheduleAsync("附件测试通知", DateTimeOffset.UtcNow.AddMinutes(5));
        var pdf = AttachmentFileTests.Pdf(2048);

        var added = await UploadAsync(admin, id, "申报指南.pdf", pdf);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var adminPage = await admin.PageAsync($"/admin/notices/{id}");
        var link = adminPage.QuerySelector("#attachments a[download]")!;
        Assert.Equal("申报指南.pdf", link.TextContent);
        var url = link.GetAttribute("href")!;

        // Scheduled: not published yet, so only administrators get the file.
        using var anonymous = portal.Anonymous();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.Client.GetAsync(url)).StatusCode);
        using var company = await portal.SignInAsync(Roles.Company);
        Assert.Equal(HttpStatusCode.NotFound, (await company.Client.GetAsync(url)).StatusCode);
        var file = await admin.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(pdf, await file.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("申报指南.pdf", file.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Contains("no-store", file.Headers.CacheControl!.ToString());

        // Published (as the notice page is public): everyone, and the notice page lists it.
        await portal.Service<NoticeFanOut>().FanOutAsync(id);
        var publicFile = await anonymous.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, publicFile.StatusCode);
        Assert.Contains("no-store", publicFile.Headers.CacheControl!.ToString());
        var page = await portal.PageAsync($"/notices/{id}");
        Assert.Equal(url, page.QuerySelector("ul.attachments a")!.GetAttribute("href"));

        // Another notice's id in the address does not reach this file.
        var other = await portal.ScheduleAsync("另一条通知", DateTimeOffset.UtcNow.AddMinutes(5));
        await portal.Service<NoticeFanOut>().FanOutAsync(other);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.Client.GetAsync(url.Replace(id, other))).StatusCode);

        // Removed by an administrator: gone.
        var remove = await admin.PostFormAsync($"/admin/notices/{id}", $"{url.Replace("/notices/", "/admin/notices/")}/delete", []);
        Assert.Equal(HttpStatusCode.Redirect, remove.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.Client.GetAsync(url)).StatusCode);
        Assert.Equal(0, await CountAsync(id));
    }

    [Theory]
    [InlineData("病毒.exe", "只能是 PDF、DOCX 或 XLSX")]
    [InlineData("改名的程序.pdf", "不是 PDF 文件")]
    [InlineData("大文件.pdf", "文件过大")]
    public async Task A_forbidden_renamed_or_too_large_file_is_refused_in_chinese_and_nothing_is_stored(string name, string message)
    {
        using var admin = await portal.SignInAsync(Roles.Admin);
        var id = await portal.ScheduleAsync("拒收附件测试", DateTimeOffset.UtcNow.AddMinutes(5));
        var bytes = name.StartsWith("大", StringComparison.Ordinal) ? AttachmentFileTests.Pdf(AttachmentFiles.MaxBytes) : AttachmentFileTests.Program;

        var response = await UploadAsync(admin, id, name, bytes);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, page.QuerySelector("#attachment-error")!.TextContent);
        Assert.Equal("拒收附件测试", page.QuerySelector("h1")!.TextContent); // the notice is still there, unchanged
        Assert.Equal(0, await CountAsync(id));
    }
}
