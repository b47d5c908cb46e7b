using System.Net;
using AngleSharp.Html.Dom;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Authoring;

/// <summary>Form helpers for the admin pages: what a browser would post, and a valid new measure.</summary>
public static class AdminForms
{
    /// <summary>The fields a browser submits for the form with <paramref name="action"/> (without the antiforgery token, which PostFormAsync adds).</summary>
    public static List<KeyValuePair<string, string>> FieldsOf(IHtmlDocument page, string action)
    {
        var form = page.QuerySelector($"form[action='{action}']") ?? throw new InvalidOperationException($"no form posting to {action}");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.QuerySelectorAll("input, select, textarea"))
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || name == "__RequestVerificationToken")
            {
                continue;
            }
            switch (element)
            {
                case IHtmlInputElement input when input.Type is "submit" or "button" or "reset":
                    continue;
                case IHtmlInputElement input when input.Type is "checkbox" or "radio":
                    if (input.IsChecked) fields.Add(new(name, input.Value));
                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.Value));
                    break;
                case IHtmlSelectElement select:
                    fields.Add(new(name, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement textarea:
                    fields.Add(new(name, textarea.Value));
                    break;
            }
        }
        return fields;
    }

    /// <summary>The fields with some replaced (or added when absent).</summary>
    public static List<KeyValuePair<string, string>> With(this List<KeyValuePair<string, string>> fields, params (string Name, string Value)[] changes)
    {
        var result = new List<KeyValuePair<string, string>>(fields);
        foreach (var (name, value) in changes)
        {
            var i = result.FindIndex(f => f.Key == name);
            if (i >= 0) result[i] = new(name, value);
            else result.Add(new(name, value));
        }
        return result;
    }

    public static List<KeyValuePair<string, string>> Without(this List<KeyValuePair<string, string>> fields, string prefix) =>
        fields.Where(f => !f.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    /// <summary>
    /// A valid new measure citing a real clause (taken from a seed measure, so the quote occurs in it),
    /// with one builder criterion: district = 海淀区 and employees ≥ <paramref name="minEmployees"/>.
    /// </summary>
    public static async Task<List<KeyValuePair<string, string>>> NewMeasureAsync(Portal portal, string id, string title, int minEmployees = 50)
    {
        var source = (await portal.Service<CatalogRepository>().GetMeasureAsync("hd-embryo-enterprise-program"))!;
        return
        [
            new("m.Id", id), new("m.Plan", source.PlanId), new("m.Title", title), new("m.TitleEn", "Test measure"),
            new("m.Summary", "用于测试的措施。"), new("m.Kind", "funding"), new("m.Departments", "区科委、区财政局"),
            new("m.Regions", "海淀区"), new("m.FocusAreas", ""), new("m.PeriodFrom", "2024-01-01"), new("m.PeriodTo", "2030-12-31"),
            new("m.Clause", source.ClauseRef), new("m.Quote", source.Quote), new("m.Notes", ""),
            new("m.Criteria[0].Id", "in-haidian-with-staff"), new("m.Criteria[0].LabelZh", "注册在海淀区且有一定规模"),
            new("m.Criteria[0].LabelEn", "Registered in Haidian, with staff"), new("m.Criteria[0].Mode", "builder"),
            new("m.Criteria[0].Builder.Combinator", "and"),
            new("m.Criteria[0].Builder.Items[0].Kind", "condition"), new("m.Criteria[0].Builder.Items[0].Fact", "district"),
            new("m.Criteria[0].Builder.Items[0].Operator", "=="), new("m.Criteria[0].Builder.Items[0].Value", "海淀区"),
            new("m.Criteria[0].Builder.Items[1].Kind", "condition"), new("m.Criteria[0].Builder.Items[1].Fact", "employees"),
            new("m.Criteria[0].Builder.Items[1].Operator", ">="), new("m.Criteria[0].Builder.Items[1].Value", minEmployees.ToString()),
        ];
    }

    public static async Task<HttpResponseMessage> SaveAsync(this Session admin, string page, string action, IEnumerable<KeyValuePair<string, string>> fields) =>
        await admin.PostFormAsync(page, action, fields.Where(f => f.Key != "command").Append(new("command", "save")));

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}\n{html[..Math.Min(html.Length, 3000)]}");
        return await Html.ParseAsync(html);
    }

    public static string Slug(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static Task<Session> AdminAsync(this Portal portal, string name = "王芳") => portal.SignInAsync(Roles.Admin, name);
}
