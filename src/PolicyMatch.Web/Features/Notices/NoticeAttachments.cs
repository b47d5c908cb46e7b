using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Infrastructure.Web;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>A file that passed the checks: its name, the type its bytes show, and the bytes.</summary>
public sealed record AttachmentFile(string FileName, string ContentType, byte[] Content);

/// <summary>An attachment as listed (without its bytes).</summary>
public sealed record AttachmentRow
{
    public long Id { get; init; }
    public string NoticeId { get; init; } = "";
    public string FileName { get; init; } = "";
    public string ContentType { get; init; } = "";
    public long Size { get; init; }
    public string CreatedAt { get; init; } = "";

    public string SizeText => Size >= 1024 * 1024 ? $"{Size / 1024.0 / 1024.0:0.0} MB" : $"{Math.Max(1, Size / 1024)} KB";

    public string TypeLabel => AttachmentFiles.Label(ContentType);
}

/// <summary>
/// What a notice may carry: PDF, DOCX and XLSX (the 申报指南 and the 申报表 a notice points to), at most
/// <see cref="MaxBytes"/> each and <see cref="MaxPerNotice"/> per notice. The type is decided by the
/// bytes — a PDF starts with <c>%PDF-</c>; a DOCX or an XLSX is a ZIP holding <c>word/document.xml</c>
/// or <c>xl/workbook.xml</c> — and must agree with the name's extension, so a renamed program, a
/// renamed .doc or a .docx named .xlsx is refused.
/// </summary>
public static class AttachmentFiles
{
    /// <summary>
    /// 10 MB: the Beijing districts' 申报指南 PDFs and their forms are well under 5 MB, a scanned
    /// stamped page about 1 MB; the limit leaves room for a long scanned guide while keeping each row
    /// small enough to read into memory and to send through the database, and far below Kestrel's
    /// 30 MB request limit.
    /// </summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>A notice with more files than this should link to a page that lists them.</summary>
    public const int MaxPerNotice = 10;

    public const string Pdf = Uploads.Pdf;
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static string Label(string contentType) => contentType switch
    {
        Pdf => "PDF",
        Docx => "Word",
        Xlsx => "Excel",
        _ => contentType,
    };

    public static string? ExpectedType(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".pdf" => Pdf,
        ".docx" => Docx,
        ".xlsx" => Xlsx,
        _ => null,
    };

    /// <summary>The type the bytes show, or null for anything else.</summary>
    public static string? TypeOf(byte[] bytes)
    {
        if (Uploads.IsPdf(bytes))
        {
            return Pdf;
        }
        if (!bytes.AsSpan().StartsWith("PK\u0003\u0004"u8))
        {
            return null;
        }
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            if (zip.GetEntry("[Content_Types].xml") is null)
            {
                return null;
            }
            return zip.GetEntry("word/document.xml") is not null ? Docx
                : zip.GetEntry("xl/workbook.xml") is not null ? Xlsx
                : null;
        }
        catch (InvalidDataException)
        {
            return null; // starts like a ZIP but is not one
        }
    }

    /// <summary>The checked file, or the reason it is refused (in the user's language).</summary>
    public static async Task<(AttachmentFile? File, string? Error)> ReadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0 && string.IsNullOrEmpty(file.FileName))
        {
            return (null, T("请选择要上传的附件(PDF、Word 或 Excel 文件)。", "Choose a file to attach (PDF, Word or Excel)."));
        }
        var name = Path.GetFileName(file.FileName.Replace('\\', '/'));
        if (ExpectedType(name) is not { } expected)
        {
            return (null, T($"附件只能是 PDF、DOCX 或 XLSX 文件;“{name}”不是。旧版 .doc/.xls 请另存为 .docx/.xlsx。",
                $"Attachments can only be PDF, DOCX or XLSX files; \"{name}\" is not. Save an old .doc/.xls as .docx/.xlsx."));
        }
        var (bytes, error) = await Uploads.ReadAsync(file, MaxBytes, "附件", ct);
        if (bytes is null)
        {
            return (null, error);
        }
        if (TypeOf(bytes) != expected)
        {
            return (null, T($"“{name}”的内容不是 {Label(expected)} 文件(按文件内容判断,与扩展名无关),未保存。",
                $"The content of \"{name}\" is not a {Label(expected)} file (judged by its content, not its name); nothing was saved."));
        }
        return (new AttachmentFile(name.Length > 200 ? name[^200..] : name, expected, bytes), null);
    }
}

/// <summary>The attachments of notices (table notice_attachments, migration 0014).</summary>
public sealed class NoticeAttachments(IDbConnectionFactory connections, AuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<AttachmentRow>> ListAsync(string noticeId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<AttachmentRow>("""
            SELECT id, notice_id, file_name, content_type, size, created_at FROM notice_attachments
            WHERE notice_id = @Id ORDER BY id
            """, new { Id = noticeId })).ToList();
    }

    public async Task<AttachmentFile?> ContentAsync(string noticeId, long id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<AttachmentFile>("""
            SELECT file_name AS FileName, content_type AS ContentType, content AS Content FROM notice_attachments
            WHERE notice_id = @Notice AND id = @Id
            """, new { Notice = noticeId, Id = id });
    }

    /// <summary>Adds a checked file; null (nothing stored) when the notice has <see cref="AttachmentFiles.MaxPerNotice"/> already.</summary>
    public async Task<long?> AddAsync(string noticeId, AttachmentFile file, long adminId, string adminEmail, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var count = await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notice_attachments WHERE notice_id = @Id", new { Id = noticeId }, tx);
        if (count >= AttachmentFiles.MaxPerNotice)
        {
            return null;
        }
        var id = await db.ExecuteScalarAsync<long>("""
            INSERT INTO notice_attachments (notice_id, file_name, content_type, size, sha256, content, created_at, created_by)
            VALUES (@Notice, @FileName, @ContentType, @Size, @Sha, @Content, @Now, @By)
            RETURNING id
            """, new
        {
            Notice = noticeId, file.FileName, file.ContentType, Size = (long)file.Content.Length,
            Sha = Convert.ToHexStringLower(SHA256.HashData(file.Content)), file.Content, Now = Stamp.Now(clock), By = adminEmail,
        }, tx);
        await audit.WriteAsync(db, tx, adminId, AuditAction.NoticeAttachmentAdded, "notice", noticeId,
            new JsonObject { ["attachment"] = id, ["file"] = file.FileName, ["size"] = file.Content.Length });
        await tx.CommitAsync(ct);
        return id;
    }

    public async Task<bool> RemoveAsync(string noticeId, long id, long adminId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var name = await db.ExecuteScalarAsync<string?>(
            "DELETE FROM notice_attachments WHERE notice_id = @Notice AND id = @Id RETURNING file_name", new { Notice = noticeId, Id = id }, tx);
        if (name is null)
        {
            return false;
        }
        await audit.WriteAsync(db, tx, adminId, AuditAction.NoticeAttachmentRemoved, "notice", noticeId, new JsonObject { ["attachment"] = id, ["file"] = name });
        await tx.CommitAsync(ct);
        return true;
    }
}
