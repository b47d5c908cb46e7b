using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using PolicyMatch.Web.Features.Catalog;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Authoring;

/// <summary>
/// Who a measure benefits and how to apply (issue 11), as typed in the editor's "如何申请" fieldset
/// (_ApplyFields.cshtml). Kept apart from <see cref="MeasureForm"/>'s other fields so the editor only
/// gains one property and two calls. Everything is text, so what was typed comes back with its error.
/// </summary>
[ValidateNever]
public sealed class ApplyForm
{
    public const int MaxText = 200;
    public const int MaxLines = 30;

    /// <summary>
    /// company, talent, institution or government. Null when the field was not posted at all (a form
    /// or client from before issue 11): every measure written then was company-facing, so it reads as
    /// company. A posted blank is an error (kept as "" by the binder, not turned into null).
    /// </summary>
    [System.ComponentModel.DataAnnotations.DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? Beneficiary { get; set; }

    /// <summary>online, office, notice, or blank when the source names no channel.</summary>
    public string? Channel { get; set; }
    public string? ChannelDetail { get; set; }
    public string? Contact { get; set; }

    /// <summary>Required documents, one per line.</summary>
    public string? Documents { get; set; }

    /// <summary>Links to the notices that open a round, one per line: "标题 | https://…".</summary>
    public string? Links { get; set; }

    public static string Field(string property) => Fields.Measure($"Apply.{property}");

    public static ApplyForm From(MeasureDocument m) => new()
    {
        Beneficiary = m.Beneficiary ?? Catalog.Beneficiary.Company.Code,
        Channel = m.Apply?.Channel,
        ChannelDetail = m.Apply?.ChannelDetail,
        Contact = m.Apply?.Contact,
        Documents = string.Join("\n", m.Apply?.Documents ?? []),
        Links = string.Join("\n", (m.Apply?.Links ?? []).Select(l => $"{l.Title} | {l.Url}")),
    };

    /// <summary>The beneficiary's code and the how-to-apply facts; each problem goes to its field in the user's language.</summary>
    public (string? Beneficiary, HowToApply? Apply) ToDocument(FormErrors errors)
    {
        string? beneficiary = Beneficiary is null ? Catalog.Beneficiary.Company.Code : Beneficiary.Trim();
        if (Catalog.Beneficiary.Parse(beneficiary) is null)
        {
            errors.Add(Field(nameof(Beneficiary)), "$.beneficiary", T(
                "请选择受益对象:企业、企业员工和人才、高校和科研机构,或政府部门和园区",
                "Choose who benefits: companies, staff and talents, universities and institutes, or government bodies and parks"));
        }
        var channel = Blank(Channel);
        if (channel is not null && HowToApply.Channels.All(c => c.Code != channel))
        {
            errors.Add(Field(nameof(Channel)), "$.apply.channel", T(
                "请选择申请渠道(网上申报系统、到窗口办理、按通知申报);原文未写明的请留空",
                "Choose the channel (online system, at an office, through a notice); leave it blank where the text names none"));
        }
        var detail = Text(nameof(ChannelDetail), "$.apply.channel_detail", ChannelDetail, errors, "渠道说明", "The channel's details");
        var contact = Text(nameof(Contact), "$.apply.contact", Contact, errors, "联系方式", "The contact");

        var documents = Lines(Documents);
        if (documents.Count > MaxLines)
        {
            errors.Add(Field(nameof(Documents)), "$.apply.documents", T($"申请材料最多 {MaxLines} 项", $"List at most {MaxLines} documents"));
        }
        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i].Length > MaxText)
            {
                errors.Add(Field(nameof(Documents)), $"$.apply.documents[{i}]",
                    T($"申请材料第 {i + 1} 行过长(最多 {MaxText} 字)", $"Document line {i + 1} is too long ({MaxText} characters at most)"));
            }
        }

        var links = new List<ApplyLink>();
        var linkLines = Lines(Links);
        if (linkLines.Count > MaxLines)
        {
            errors.Add(Field(nameof(Links)), "$.apply.links", T($"通知链接最多 {MaxLines} 条", $"List at most {MaxLines} links"));
        }
        for (var i = 0; i < linkLines.Count; i++)
        {
            var parts = linkLines[i].Split('|', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                errors.Add(Field(nameof(Links)), $"$.apply.links[{i}]",
                    T($"通知链接第 {i + 1} 行应写成“通知标题 | https://…”", $"Link line {i + 1} should read 'title | https://…'"));
                continue;
            }
            if (!CatalogValidator.IsWebAddress(parts[1]))
            {
                errors.Add(Field(nameof(Links)), $"$.apply.links[{i}].url",
                    T($"通知链接第 {i + 1} 行的网址应以 http:// 或 https:// 开头", $"The address on link line {i + 1} must start with http:// or https://"));
                continue;
            }
            if (parts[0].Length > MaxText)
            {
                errors.Add(Field(nameof(Links)), $"$.apply.links[{i}].title",
                    T($"通知链接第 {i + 1} 行的标题过长(最多 {MaxText} 字)", $"The title on link line {i + 1} is too long ({MaxText} characters at most)"));
                continue;
            }
            links.Add(new ApplyLink { Title = parts[0], Url = parts[1] });
        }

        // Nothing stated is null, as in the seed files, so an unchanged measure hashes the same.
        var apply = new HowToApply
        {
            Channel = channel,
            ChannelDetail = detail,
            Contact = contact,
            Documents = documents.Count == 0 ? null : documents,
            Links = links.Count == 0 ? null : links,
        };
        return (beneficiary, apply.IsEmpty ? null : apply);
    }

    private string? Text(string property, string path, string? value, FormErrors errors, string zh, string en)
    {
        var text = Blank(value);
        if (text is { Length: > MaxText })
        {
            errors.Add(Field(property), path, T($"{zh}过长(最多 {MaxText} 字)", $"{en} is too long ({MaxText} characters at most)"));
        }
        return text;
    }

    private static List<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
