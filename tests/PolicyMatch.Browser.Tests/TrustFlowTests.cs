using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Incubators;
using PolicyMatch.Web.Features.Profiles;

namespace PolicyMatch.Browser.Tests;

/// <summary>
/// Trust between users, in a real browser: an incubator links a registered company only with its
/// owner's consent and keeps it current, and an administrator settles who owns a company.
/// </summary>
public class TrustFlowTests(BrowserPortal portal) : IClassFixture<BrowserPortal>
{
    private const string Password = "correct horse battery";

    private static string NewUscc()
    {
        var first17 = "91110108MA" + Random.Shared.Next(1_000_000, 9_999_999).ToString("D7");
        return first17 + Uscc.CheckCharacterFor(first17);
    }

    private async Task<(long Id, string Email)> UserAsync(string role, string name)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        var id = await portal.Services.GetRequiredService<UserRepository>().CreateAsync(email, name, AccountService.Hash(Password), role);
        return (id!.Value, email);
    }

    private async Task<long> CompanyAsync(string name, string uscc, long ownerId) =>
        (await portal.Services.GetRequiredService<CompanyRepository>().CreateAsync(
            JsonNode.Parse($$"""{ "name": "{{name}}", "uscc": "{{uscc}}", "district": "海淀区", "employees": 20 }""")!.AsObject(), ownerId))!.Value;

    /// <summary>A fresh browser context (its own cookies), logged in through the login form.</summary>
    private async Task<IPage> LogInAsync(string email)
    {
        var page = await portal.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });
        await page.GotoAsync(portal.BaseUrl + "/account/login");
        await page.Locator("#f-Email").FillAsync(email);
        await page.Locator("#f-Password").FillAsync(Password);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
        return page;
    }

    [Fact]
    public async Task An_advisor_imports_a_registered_company_the_owner_approves_then_the_advisor_updates_it_and_the_owner_sees_who_changed_what()
    {
        var directory = Directory.CreateTempSubdirectory("policymatch-trust-").FullName;
        try
        {
            var (ownerId, ownerEmail) = await UserAsync(Roles.Company, "赵总");
            var registered = NewUscc();
            var companyId = await CompanyAsync("北京赵氏量子科技有限公司", registered, ownerId);
            var (advisorId, advisorEmail) = await UserAsync(Roles.Advisor, "钱顾问");
            var incubatorName = $"海淀量子孵化器-{Guid.NewGuid():N}"[..14];
            await portal.Services.GetRequiredService<IncubatorRepository>().CreateAsync(incubatorName, advisorId);
            await portal.VerifyIncubatorAsync(incubatorName);

            // The advisor imports a file: one new company, one registered by its owner.
            var advisor = await LogInAsync(advisorEmail);
            var file = Path.Combine(directory, "在孵企业.csv");
            await File.WriteAllTextAsync(file, string.Join("\r\n",
                "name,uscc,district,employees",
                $"北京新入孵科技有限公司,{NewUscc()},海淀区,8",
                $"赵氏量子,{registered},海淀区,25") + "\r\n", new UTF8Encoding(true));
            await advisor.GotoAsync(portal.BaseUrl + "/incubator/import");
            await advisor.GetByLabel("CSV 文件").SetInputFilesAsync(file);
            await advisor.GetByRole(AriaRole.Button, new() { Name = "校验并导入" }).ClickAsync();
            var links = advisor.Locator("table.import-links tbody tr");
            await Assertions.Expect(links).ToHaveCountAsync(1);
            await Assertions.Expect(links.First).ToContainTextAsync("将发出关联请求");
            await Assertions.Expect(advisor.Locator("#import-result")).Not.ToContainTextAsync("北京赵氏量子科技有限公司");
            await advisor.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-import-preview.png"), FullPage = true });
            await advisor.GetByRole(AriaRole.Button, new() { Name = "确认导入" }).ClickAsync();
            await Assertions.Expect(advisor.Locator(".flash")).ToContainTextAsync("已向 1 家已登记企业发出关联请求");
            await Assertions.Expect(advisor.Locator("table.tenants tbody tr")).ToHaveCountAsync(1);
            await Assertions.Expect(advisor.Locator("#link-requests")).ToContainTextAsync("等待企业答复");

            // The owner finds the request in the inbox and agrees on the company page.
            var owner = await LogInAsync(ownerEmail);
            await owner.GotoAsync(portal.BaseUrl + "/inbox");
            await Assertions.Expect(owner.Locator("article.inbox-item").First).ToContainTextAsync(incubatorName);
            await owner.Locator("article.inbox-item h2 a").First.ClickAsync();
            await Assertions.Expect(owner.Locator("#links")).ToContainTextAsync(incubatorName);
            await owner.GetByRole(AriaRole.Button, new() { Name = "同意关联" }).ClickAsync();
            await Assertions.Expect(owner.Locator(".flash")).ToContainTextAsync("已同意关联");

            // Now a tenant: the advisor updates its profile.
            await advisor.GotoAsync(portal.BaseUrl + "/incubator");
            var row = advisor.Locator($"table.tenants tr[data-company='{companyId}']");
            await Assertions.Expect(row).ToContainTextAsync("北京赵氏量子科技有限公司");
            await row.GetByRole(AriaRole.Link, new() { Name = "更新画像" }).ClickAsync();
            await advisor.GetByLabel("从业人数").FillAsync("26");
            await advisor.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
            await Assertions.Expect(advisor.Locator(".flash")).ToContainTextAsync("从业人数");

            // The owner sees who changed what.
            await owner.GotoAsync($"{portal.BaseUrl}/companies/{companyId}");
            await owner.GetByRole(AriaRole.Link, new() { Name = "修改记录" }).ClickAsync();
            var latest = owner.Locator("tbody tr").First;
            await Assertions.Expect(latest).ToContainTextAsync("钱顾问");
            await Assertions.Expect(latest).ToContainTextAsync("孵化器顾问");
            await Assertions.Expect(latest).ToContainTextAsync("从业人数");
            await owner.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-history-advisor.png"), FullPage = true });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_second_claimant_disputes_a_company_and_an_administrator_transfers_it()
    {
        var directory = Directory.CreateTempSubdirectory("policymatch-dispute-").FullName;
        try
        {
            var (squatterId, squatterEmail) = await UserAsync(Roles.Company, "抢注人");
            var uscc = NewUscc();
            var companyId = await CompanyAsync("北京被抢注生物科技有限公司", uscc, squatterId);
            var (_, claimantEmail) = await UserAsync(Roles.Company, "孙法人");
            var (_, adminEmail) = await UserAsync(Roles.Admin, "李管理员");
            var licence = Path.Combine(directory, "营业执照.pdf");
            await File.WriteAllBytesAsync(licence, "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray());

            // The real company's representative claims it with the licence.
            var claimant = await LogInAsync(claimantEmail);
            await claimant.GotoAsync(portal.BaseUrl + "/companies");
            await claimant.GetByRole(AriaRole.Link, new() { Name = "提交营业执照认领" }).ClickAsync();
            await claimant.GetByLabel("统一社会信用代码").FillAsync(uscc);
            await claimant.GetByLabel("您与该企业的关系").FillAsync("本人是该企业的法定代表人,营业执照见附件。");
            await claimant.Locator("#f-file").SetInputFilesAsync(licence);
            await claimant.GetByRole(AriaRole.Button, new() { Name = "提交认领" }).ClickAsync();
            await Assertions.Expect(claimant.Locator(".flash")).ToContainTextAsync("认领申请已提交");

            // The administrator weighs it in the queue and upholds it.
            var admin = await LogInAsync(adminEmail);
            await admin.GotoAsync(portal.BaseUrl + "/admin");
            await admin.GetByRole(AriaRole.Link, new() { Name = "核验与争议" }).ClickAsync();
            var item = admin.Locator("article.verification-request[data-kind='dispute']").Filter(new() { HasText = "北京被抢注生物科技有限公司" });
            await Assertions.Expect(item).ToContainTextAsync("抢注人");
            await Assertions.Expect(item).ToContainTextAsync("法定代表人");
            await admin.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-verification-queue.png"), FullPage = true });
            await item.GetByRole(AriaRole.Button, new() { Name = "认领成立,转移企业" }).ClickAsync();
            await Assertions.Expect(admin.Locator(".flash")).ToContainTextAsync("已通过");

            // The company is the claimant's now, verified; the squatter has lost it.
            await claimant.GotoAsync(portal.BaseUrl + "/companies");
            await claimant.GetByRole(AriaRole.Link, new() { Name = "北京被抢注生物科技有限公司" }).ClickAsync();
            await Assertions.Expect(claimant.Locator(".unverified-notice")).ToHaveCountAsync(0);
            var squatter = await LogInAsync(squatterEmail);
            var gone = await squatter.GotoAsync($"{portal.BaseUrl}/companies/{companyId}");
            Assert.Equal(404, gone!.Status);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
