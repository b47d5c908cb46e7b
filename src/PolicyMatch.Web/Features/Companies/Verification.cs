using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Incubators;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Infrastructure.Web;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Companies;

/// <summary>An uploaded evidence file that passed the checks: its bytes and the type its bytes show.</summary>
public sealed record Evidence(string FileName, string ContentType, byte[] Content);

/// <summary>
/// Evidence files (营业执照): a JPEG, PNG or PDF, at most <see cref="MaxBytes"/>. The type is decided
/// by the file's first bytes, never by its name or the browser's Content-Type, so an .exe renamed
/// .pdf is refused.
/// </summary>
public static class EvidenceFiles
{
    /// <summary>A phone photo of a licence is 1–4 MB; a scanned PDF of one page about as much.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    public static string? TypeOf(ReadOnlySpan<byte> bytes) =>
        Uploads.IsPdf(bytes) ? Uploads.Pdf
        : bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : null;

    /// <summary>The checked file, or the reason it is refused (in the user's language).</summary>
    public static async Task<(Evidence? File, string? Error)> ReadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0 && string.IsNullOrEmpty(file.FileName))
        {
            return (null, T("请选择营业执照的图片或 PDF 文件。", "Choose an image or PDF of the business licence."));
        }
        var (bytes, error) = await Uploads.ReadAsync(file, MaxBytes, "", ct);
        if (bytes is null)
        {
            return (null, error);
        }
        if (TypeOf(bytes) is not { } type)
        {
            return (null, T("只接受 JPG、PNG 图片或 PDF 文件;这个文件的内容不是其中任何一种(与文件扩展名无关)。",
                "Only JPG or PNG images and PDF files are accepted; this file's content is none of them, whatever its name says."));
        }
        var name = Path.GetFileName(file.FileName);
        return (new Evidence(name.Length > 200 ? name[..200] : name, type, bytes), null);
    }
}

public static class VerificationKinds
{
    public const string Verify = "verify";
    public const string Dispute = "dispute";

    public static string Label(string kind) => kind == Dispute ? T("认领争议", "Ownership dispute") : T("核验", "Verification");
}

/// <summary>A request in the administrators' queue (without its file).</summary>
public sealed record VerificationRow
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public long? CompanyId { get; init; }
    public long? IncubatorId { get; init; }
    public string SubjectName { get; init; } = "";
    public string? Uscc { get; init; }
    public long UserId { get; init; }
    public string UserName { get; init; } = "";
    public string UserEmail { get; init; } = "";
    public string Statement { get; init; } = "";
    public string FileName { get; init; } = "";
    public string ContentType { get; init; } = "";
    public long Size { get; init; }
    public string Status { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string? DecisionNote { get; init; }

    /// <summary>For a dispute: who owns the company now.</summary>
    public string? CurrentOwners { get; init; }
}

/// <summary>
/// Verified ownership. A new company (and an advisor's incubator) is unverified until an
/// administrator approves evidence its owner uploaded; someone else who claims a registered company
/// opens a dispute with evidence of their own, and an administrator's approval of it transfers the
/// company to them. Every decision is audited and told to the people concerned (inbox and email).
/// </summary>
public sealed class VerificationRepository(IDbConnectionFactory connections, Admin.AuditLog audit, TimeProvider clock)
{
    /// <summary>Files a request with its evidence; null when the same one is pending already.</summary>
    public async Task<long?> SubmitAsync(string kind, long? companyId, long? incubatorId, long userId, string statement, Evidence evidence, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteScalarAsync<long?>("""
            INSERT INTO verification_requests (kind, company_id, incubator_id, user_id, statement, file_name, content_type, size, sha256, content, status, created_at)
            VALUES (@Kind, @Company, @Incubator, @User, @Statement, @FileName, @ContentType, @Size, @Sha, @Content, 'pending', @Now)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, new
        {
            Kind = kind, Company = companyId, Incubator = incubatorId, User = userId, Statement = statement.Trim(),
            evidence.FileName, evidence.ContentType, Size = (long)evidence.Content.Length,
            Sha = Convert.ToHexStringLower(SHA256.HashData(evidence.Content)), evidence.Content, Now = Stamp.Now(clock),
        });
    }

    private const string Columns = """
        r.id, r.kind, r.company_id, r.incubator_id, COALESCE(c.name, i.name) AS subject_name, c.uscc,
        r.user_id, u.display_name AS user_name, u.email AS user_email, r.statement, r.file_name, r.content_type, r.size,
        r.status, r.created_at, r.decision_note
        """;

    /// <summary>The queue: pending requests, oldest first, with the current owners of a disputed company.</summary>
    public async Task<IReadOnlyList<VerificationRow>> PendingAsync(CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        var rows = (await db.QueryAsync<VerificationRow>($"""
            SELECT {Columns}
            FROM verification_requests r JOIN users u ON u.id = r.user_id
            LEFT JOIN companies c ON c.id = r.company_id LEFT JOIN incubators i ON i.id = r.incubator_id
            WHERE r.status = 'pending' ORDER BY r.id
            """)).ToList();
        for (var n = 0; n < rows.Count; n++)
        {
            if (rows[n].CompanyId is { } company)
            {
                var owners = await db.QueryAsync<string>("""
                    SELECT u.display_name || ' <' || u.email || '>' FROM company_members m JOIN users u ON u.id = m.user_id
                    WHERE m.company_id = @Company AND m.role = 'owner' ORDER BY u.id
                    """, new { Company = company });
                rows[n] = rows[n] with { CurrentOwners = string.Join("; ", owners) };
            }
        }
        return rows;
    }

    public async Task<VerificationRow?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<VerificationRow>($"""
            SELECT {Columns}
            FROM verification_requests r JOIN users u ON u.id = r.user_id
            LEFT JOIN companies c ON c.id = r.company_id LEFT JOIN incubators i ON i.id = r.incubator_id
            WHERE r.id = @Id
            """, new { Id = id });
    }

    /// <summary>The newest request of a company or an incubator (its status for the owner's page).</summary>
    public async Task<VerificationRow?> LatestAsync(long? companyId, long? incubatorId, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<VerificationRow>($"""
            SELECT {Columns}
            FROM verification_requests r JOIN users u ON u.id = r.user_id
            LEFT JOIN companies c ON c.id = r.company_id LEFT JOIN incubators i ON i.id = r.incubator_id
            WHERE r.kind = 'verify' AND r.user_id = @User AND {(companyId is null ? "r.incubator_id = @Subject" : "r.company_id = @Subject")}
            ORDER BY r.id DESC LIMIT 1
            """, new { Subject = companyId ?? incubatorId, User = userId });
    }

    public async Task<Evidence?> EvidenceAsync(long id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<Evidence>(
            "SELECT file_name AS FileName, content_type AS ContentType, content AS Content FROM verification_requests WHERE id = @Id", new { Id = id });
    }

    /// <summary>
    /// An administrator's decision on a pending request; false when there is none. Approving a
    /// verification marks the company or incubator verified; approving a dispute transfers the company:
    /// the claimant becomes its only owner, the previous members lose access (they were let in by
    /// whoever held it), and it is verified.
    /// </summary>
    public async Task<bool> DecideAsync(long id, bool approve, long adminId, string? note, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var now = Stamp.Now(clock);
        var request = await db.QuerySingleOrDefaultAsync<VerificationRow>("""
            UPDATE verification_requests SET status = @Status, decided_at = @Now, decided_by = @Admin, decision_note = @Note
            WHERE id = @Id AND status = 'pending'
            RETURNING id, kind, company_id, incubator_id, user_id, status
            """, new { Id = id, Status = approve ? "approved" : "rejected", Now = now, Admin = adminId, Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim() }, tx);
        if (request is null)
        {
            return false;
        }
        var subject = request.CompanyId is { } c
            ? await db.ExecuteScalarAsync<string>("SELECT name FROM companies WHERE id = @Id", new { Id = c }, tx)
            : await db.ExecuteScalarAsync<string>("SELECT name FROM incubators WHERE id = @Id", new { Id = request.IncubatorId }, tx);
        var link = request.CompanyId is { } linkCompany ? $"/companies/{linkCompany}" : "/incubator";
        var reason = string.IsNullOrWhiteSpace(note) ? "" : $"\n\n管理员说明:{note.Trim()}";
        if (approve && request.Kind == VerificationKinds.Dispute && request.CompanyId is { } company)
        {
            var previous = (await db.QueryAsync<long>("SELECT user_id FROM company_members WHERE company_id = @Company AND user_id <> @User",
                new { Company = company, User = request.UserId }, tx)).ToList();
            await db.ExecuteAsync("DELETE FROM company_members WHERE company_id = @Company", new { Company = company }, tx);
            await db.ExecuteAsync("INSERT INTO company_members (company_id, user_id, role) VALUES (@Company, @User, 'owner')", new { Company = company, User = request.UserId }, tx);
            await VerifyCompanyAsync(db, tx, company, adminId, now);
            // Verification requests of the previous holders are moot now.
            await db.ExecuteAsync("""
                UPDATE verification_requests SET status = 'rejected', decided_at = @Now, decided_by = @Admin, decision_note = '企业已按争议裁决转移给认领人'
                WHERE company_id = @Company AND status = 'pending' AND id <> @Id
                """, new { Company = company, Now = now, Admin = adminId, Id = id }, tx);
            await AccountMessages.WriteAsync(db, tx, $"verification:{id}:previous", null, $"“{subject}”已转移给认领人",
                $"管理员根据营业执照等证明材料裁决,“{subject}”归认领人所有。您不再是该企业的成员。如有异议,请联系平台管理员。{reason}",
                "/companies", previous, now);
        }
        else if (approve && request.CompanyId is { } verified)
        {
            await VerifyCompanyAsync(db, tx, verified, adminId, now);
        }
        else if (approve && request.IncubatorId is { } incubator)
        {
            await IncubatorRepository.VerifyAsync(db, tx, incubator, adminId, now);
        }
        await AccountMessages.WriteAsync(db, tx, $"verification:{id}", request.CompanyId,
            approve ? (request.Kind == VerificationKinds.Dispute ? $"认领通过:“{subject}”已归您所有" : $"“{subject}”已通过核验")
                    : (request.Kind == VerificationKinds.Dispute ? $"对“{subject}”的认领未获通过" : $"“{subject}”的核验未获通过"),
            approve ? $"管理员审核了您提交的证明材料并予以通过。{reason}" : $"管理员审核了您提交的证明材料,未予通过。您可以重新提交更清晰或更完整的材料。{reason}",
            link, [request.UserId], now);
        await audit.WriteAsync(db, tx, adminId, approve ? Admin.AuditAction.VerificationApproved : Admin.AuditAction.VerificationRejected,
            request.CompanyId is not null ? "company" : "incubator",
            (request.CompanyId ?? request.IncubatorId ?? 0).ToString(CultureInfo.InvariantCulture),
            new JsonObject { ["request_id"] = id, ["kind"] = request.Kind, ["claimant"] = request.UserId, ["note"] = note });
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Marks a company verified (an approved request, or a resolved dispute).</summary>
    public static Task VerifyCompanyAsync(DbConnection db, DbTransaction tx, long companyId, long adminId, string now) =>
        db.ExecuteAsync("UPDATE companies SET verified_at = @Now, verified_by = @Admin WHERE id = @Id", new { Id = companyId, Admin = adminId, Now = now }, tx);
}
