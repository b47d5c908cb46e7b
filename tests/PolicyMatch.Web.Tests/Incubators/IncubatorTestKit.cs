using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Incubators;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Incubators;

/// <summary>A signed-in advisor and the incubator they advise.</summary>
internal sealed record Advisor(Session Session, long IncubatorId, string IncubatorName) : IDisposable
{
    public void Dispose() => Session.Dispose();
}

/// <summary>Test data and steps shared by the incubator tests.</summary>
internal static class IncubatorTestKit
{
    /// <summary>A code with the wrong check character (the right one shifted by one place in the alphabet).</summary>
    public static string BadCheckUscc()
    {
        var good = NewUscc();
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        return good[..17] + alphabet[(alphabet.IndexOf(good[17]) + 1) % alphabet.Length];
    }

    public static string Lines(params string[] lines) => string.Join("\r\n", lines) + "\r\n";

    public static byte[] Utf8(string text, bool bom = false) =>
        bom ? [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)] : Encoding.UTF8.GetBytes(text);

    public static byte[] Gb18030(string text) => TenantCsv.Gb18030.GetBytes(text);

    /// <summary>An advisor signed in through the login form, with an incubator of their own (verified unless asked).</summary>
    public static async Task<Advisor> AdvisorAsync(this Portal portal, string name = "中关村创业孵化器", bool verified = true)
    {
        var session = await portal.SignInAsync(Roles.Advisor, "孵化器顾问");
        var incubatorName = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
        var id = await portal.Service<IncubatorRepository>().CreateAsync(incubatorName, session.UserId);
        if (verified)
        {
            // What an administrator's approval of the incubator's evidence does (the same method).
            var (admin, _) = await portal.CreateUserAsync(Roles.Admin);
            await portal.Service<IncubatorRepository>().VerifyAsync(id, admin);
        }
        return new Advisor(session, id, incubatorName);
    }

    /// <summary>Uploads a file through the import form, with the form's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> ImportAsync(this Session session, byte[] file, string fileName = "tenants.csv", bool xhr = false)
    {
        var page = await session.PageAsync("/incubator/import");
        var token = page.QuerySelector("form#import-form input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("no antiforgery token in the import form");
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", fileName);
        content.Add(new StringContent(token), "__RequestVerificationToken");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/incubator/import") { Content = content };
        if (xhr)
        {
            request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        }
        return await session.Client.SendAsync(request);
    }

    /// <summary>Imports a file that must be valid; fails the test with the problems otherwise.</summary>
    public static async Task ImportValidAsync(this Session session, byte[] file)
    {
        var response = await session.ImportAsync(file);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var page = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
            Assert.Fail($"import: {(int)response.StatusCode} {page.QuerySelector("#import-result")?.TextContent}");
        }
    }

    public static KeyValuePair<string, string> F(string key, string value) => new(key, value);
}
