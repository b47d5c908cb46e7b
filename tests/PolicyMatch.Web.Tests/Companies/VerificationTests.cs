using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Incubators;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Companies;

/// <summary>Verified ownership: evidence an administrator reviews, disputes, and unverified incubators.</summary>
public class VerificationTests(Portal portal) : IClassFixture<Portal>
{
    /// <summary>The smallest valid PNG header: what the type check reads.</summary>
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];

    public static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();

    /// <summary>A Windows executable's first bytes ("MZ"), named like a PDF.</summary>
    public static readonly byte[] Exe = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0];

    /// <summary>Posts a multipart form with the antiforgery token of the form posting to <paramref name="action"/> on <paramref name="page"/>.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(Session s, string page, string action, byte[]? file, string fileName, string contentType, params (string Name, string Value)[] fields)
    {
        var html = await s.PageAsync(page);
        var token = html.QuerySelector($"form[action='{action}'] input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? html.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent();
        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            content.Add(part, "file", fileName);
        }
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }
        content.Add(new StringContent(token), "__RequestVerificationToken");
        return await s.Client.PostAsync(action, content);
    }

    private async Task<(Session Owner, long CompanyId, string Uscc)> OwnedCompanyAsync(string name)
    {
        var owner = await portal.SignInAsync(Roles.Company, "登记人");
        var uscc = NewUscc();
        var profile = JsonNode.Parse($$"""{ "name": "{{name}}", "uscc": "{{uscc}}", "district": "昌平区", "university_spinoff": true }""")!.AsObject();
        return (owner, (await portal.Service<CompanyRepository>().CreateAsync(profile, owner.UserId))!.Value, uscc);
    }

    private async Task<long> PendingRequestAsync(long companyId, string kind)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        return await db.ExecuteScalarAsync<long>("SELECT id FROM verification_requests WHERE company_id = @C AND kind = @K AND status = 'pending'", new { C = companyId, K = kind });
    }

    [Fact]
    public async Task A_new_company_is_unverified_but_matched_until_an_administrator_approves_its_licence()
    {
        var (owner, companyId, _) = await OwnedCompanyAsync("北京待核验科技有限公司");
        using var _ = owner;
        var page = await owner.PageAsync($"/companies/{companyId}");
        Assert.NotNull(page.QuerySelector(".unverified-notice"));
        Assert.NotNull(page.QuerySelector(".group")); // the matches, shown while unverified
        Assert.False((await portal.Service<CompanyRepository>().FindAsync(companyId))!.Verified);

        var response = await UploadAsync(owner, $"/companies/{companyId}/verification", $"/companies/{companyId}/verification", Png, "营业执照.png", "image/png");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var requestId = await PendingRequestAsync(companyId, VerificationKinds.Verify);
        Assert.True(requestId > 0);

        using var admin = await portal.SignInAsync(Roles.Admin);
        var queue = await admin.PageAsync("/admin/verification");
        Assert.NotNull(queue.QuerySelector($"article.verification-request[data-id='{requestId}']"));
        var evidence = await admin.Client.GetAsync($"/admin/verification/{requestId}/evidence");
        Assert.Equal(HttpStatusCode.OK, evidence.StatusCode);
        Assert.Equal("image/png", evidence.Content.Headers.ContentType!.MediaType);
        Assert.True(evidence.Headers.CacheControl!.NoStore);
        Assert.Equal(Png, await evidence.Content.ReadAsByteArrayAsync());

        // The evidence is for administrators only: not even its owner reads it back.
        var own = await owner.Client.GetAsync($"/admin/verification/{requestId}/evidence");
        Assert.True(own.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Redirect);
        Assert.NotEqual(Png, await own.Content.ReadAsByteArrayAsync());

        var approve = await admin.PostFormAsync("/admin/verification", $"/admin/verification/{requestId}/approve", [new("note", "")]);
        Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        Assert.True((await portal.Service<CompanyRepository>().FindAsync(companyId))!.Verified);
        Assert.Null((await owner.PageAsync($"/companies/{companyId}")).QuerySelector(".unverified-notice"));
        Assert.Contains("已通过核验", (await owner.PageAsync("/inbox")).QuerySelector("article.inbox-item")!.TextContent);
        // Deciding it again, or a made-up id: 404.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync("/admin/verification", $"/admin/verification/{requestId}/reject", [], anyToken: true)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync("/admin/verification", "/admin/verification/999999999/approve", [], anyToken: true)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync("/admin/verification/999999999/evidence")).StatusCode);
    }

    [Theory]
    [InlineData("exe", "营业执照.pdf", "不是其中任何一种")]
    [InlineData("empty", "营业执照.pdf", "文件是空的")]
    [InlineData("large", "营业执照.pdf", "文件过大")]
    [InlineData("none", "", "请选择营业执照")]
    public async Task Bad_evidence_is_refused_with_a_reason_and_nothing_is_stored(string what, string fileName, string reason)
    {
        var (owner, companyId, _) = await OwnedCompanyAsync("北京坏材料科技有限公司");
        using var _ = owner;
        byte[]? file = what switch
        {
            "exe" => Exe,
            "empty" => [],
            "large" => [.. Pdf, .. new byte[EvidenceFiles.MaxBytes]],
            _ => null,
        };

        var response = await UploadAsync(owner, $"/companies/{companyId}/verification", $"/companies/{companyId}/verification", file, fileName, "application/pdf");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(reason, (await Html.ParseAsync(await response.Content.ReadAsStringAsync())).QuerySelector(".error-summary")!.TextContent);
        Assert.Equal(0, await PendingRequestAsync(companyId, VerificationKinds.Verify));
    }

    [Fact]
    public async Task A_second_claimant_disputes_a_company_and_the_administrators_ruling_transfers_it()
    {
        var (squatter, companyId, uscc) = await OwnedCompanyAsync("北京被抢注科技有限公司");
        using var _ = squatter;
        using var real = await portal.SignInAsync(Roles.Company, "真正的法定代表人");

        // Refused without a statement, with an .exe; the company's data is never shown to the claimant.
        var bad = await UploadAsync(real, "/companies/claim", "/companies/claim", Exe, "licence.pdf", "application/pdf", ("uscc", uscc), ("statement", ""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var badPage = await bad.Content.ReadAsStringAsync();
        Assert.Contains("请说明您与该企业的关系", badPage);
        Assert.Contains("不是其中任何一种", badPage);
        Assert.DoesNotContain("北京被抢注科技有限公司", badPage);

        var claim = await UploadAsync(real, "/companies/claim", "/companies/claim", Pdf, "营业执照.pdf", "application/pdf",
            ("uscc", uscc), ("statement", "我是该企业的法定代表人,营业执照见附件。"));
        Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);
        var requestId = await PendingRequestAsync(companyId, VerificationKinds.Dispute);
        await real.PageAsync($"/companies/{companyId}", HttpStatusCode.NotFound);

        // The squatter cannot resolve it; the administrator can.
        var tampered = await squatter.PostFormAsync("/companies", $"/admin/verification/{requestId}/approve", [], anyToken: true);
        Assert.NotEqual(HttpStatusCode.OK, tampered.StatusCode);
        Assert.Equal(requestId, await PendingRequestAsync(companyId, VerificationKinds.Dispute));

        using var admin = await portal.SignInAsync(Roles.Admin);
        var queue = await admin.PageAsync("/admin/verification");
        var item = queue.QuerySelector($"article.verification-request[data-id='{requestId}']")!;
        Assert.Contains("登记人", item.TextContent); // the current owner, for the administrator to weigh
        var ruling = await admin.PostFormAsync("/admin/verification", $"/admin/verification/{requestId}/approve", [new("note", "")]);
        Assert.Equal(HttpStatusCode.Redirect, ruling.StatusCode);

        Assert.Equal("owner", await portal.Service<CompanyRepository>().RoleOfAsync(companyId, real.UserId));
        Assert.Null(await portal.Service<CompanyRepository>().RoleOfAsync(companyId, squatter.UserId));
        await squatter.PageAsync($"/companies/{companyId}", HttpStatusCode.NotFound);
        Assert.True((await portal.Service<CompanyRepository>().FindAsync(companyId))!.Verified);
        Assert.Contains("已转移给认领人", (await squatter.PageAsync("/inbox")).QuerySelector("article.inbox-item")!.TextContent);
    }

    [Fact]
    public async Task An_owner_cannot_send_evidence_for_someone_elses_company()
    {
        var (owner, _, _) = await OwnedCompanyAsync("北京甲方科技有限公司");
        var (other, otherId, _) = await OwnedCompanyAsync("北京乙方科技有限公司");
        using var a = owner;
        using var b = other;
        await owner.PageAsync($"/companies/{otherId}/verification", HttpStatusCode.NotFound);
        var response = await UploadAsync(owner, "/companies", $"/companies/{otherId}/verification", Png, "x.png", "image/png");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await PendingRequestAsync(otherId, VerificationKinds.Verify));
    }

    [Fact]
    public async Task An_unverified_incubator_cannot_add_tenants_until_its_evidence_is_approved()
    {
        using var advisor = await portal.AdvisorAsync("未核验孵化器", verified: false);
        var s = advisor.Session;

        await s.PageAsync("/incubator/tenants/new", HttpStatusCode.Forbidden);
        var refused = await s.PostFormAsync("/incubator", "/incubator/tenants/new", [new("Name", "北京未核验添加有限公司"), new("Uscc", NewUscc()), new("District", "昌平区")], anyToken: true);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("/incubator/verification", await refused.Content.ReadAsStringAsync());
        var import = await UploadAsync(s, "/incubator", "/incubator/import", IncubatorTestKit.Utf8("name,uscc,district\r\n北京未核验导入有限公司," + NewUscc() + ",昌平区\r\n"), "t.csv", "text/csv");
        Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);

        var upload = await UploadAsync(s, "/incubator/verification", "/incubator/verification", Pdf, "登记证书.pdf", "application/pdf");
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        var requestId = await db.ExecuteScalarAsync<long>("SELECT id FROM verification_requests WHERE incubator_id = @I AND status = 'pending'", new { I = advisor.IncubatorId });
        using var admin = await portal.SignInAsync(Roles.Admin);
        await admin.PostFormAsync("/admin/verification", $"/admin/verification/{requestId}/approve", [new("note", "")]);

        await s.PageAsync("/incubator/tenants/new");
        var added = await s.PostFormAsync("/incubator/tenants/new", "/incubator/tenants/new", [new("Name", "北京核验后添加有限公司"), new("Uscc", NewUscc()), new("District", "昌平区")]);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
    }

    [Fact]
    public async Task Notices_and_exports_say_that_a_company_is_unverified()
    {
        var (owner, _, uscc) = await OwnedCompanyAsync("北京未核验通知科技有限公司");
        using var _ = owner;
        using var applicant = await portal.SignInAsync(Roles.Company, "申请人");
        await applicant.PostFormAsync("/companies", "/companies/join", [new("uscc", uscc)]);

        var item = (await owner.PageAsync("/inbox")).QuerySelector("article.inbox-item")!;
        Assert.Contains("企业未核验", item.TextContent);
        Assert.Contains("尚未通过核验", item.TextContent);

        using var advisor = await portal.AdvisorAsync();
        await advisor.Session.ImportValidAsync(IncubatorTestKit.Utf8("name,uscc,district\r\n北京导出未核验有限公司," + NewUscc() + ",昌平区\r\n"));
        var csv = await (await advisor.Session.Client.GetAsync("/incubator/matrix.csv")).Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n");
        Assert.Equal("核验状态", lines[0].Split(',')[3]);
        Assert.Equal("未核验", lines[1].Split(',')[3]);
    }
}
