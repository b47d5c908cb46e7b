using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;

namespace PolicyMatch.Web.Infrastructure.Web;

/// <summary>
/// Views are found in the folder of the controller's feature, taken from its namespace
/// (<c>PolicyMatch.Web.Features.Notices.AdminNoticesController</c> → <c>/Features/Notices/</c>), then in
/// <c>/Features/Shared/</c>. So a controller returns <c>View("Jobs")</c> whatever its name, and no
/// controller names a view by path: one that needs another feature's page uses a shared view instead.
/// </summary>
public sealed class FeatureViewLocations : IViewLocationExpander
{
    /// <summary>"PolicyMatch.Web" + ".Features.": from the assembly, so nothing here names a feature's namespace.</summary>
    private static readonly string Prefix = typeof(FeatureViewLocations).Assembly.GetName().Name + ".Features.";

    public void PopulateValues(ViewLocationExpanderContext context)
    {
        if (context.ActionContext.ActionDescriptor is ControllerActionDescriptor action)
        {
            context.Values["feature"] = FeatureOf(action.ControllerTypeInfo.Namespace);
        }
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations) =>
        context.Values.TryGetValue("feature", out var feature) && feature is not null
            ? viewLocations.Prepend("/Features/" + feature + "/{0}" + RazorViewEngine.ViewExtension)
            : viewLocations;

    /// <summary>The feature folder of a namespace under Features; null for any other namespace.</summary>
    public static string? FeatureOf(string? ns)
    {
        if (ns is null || !ns.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = ns[Prefix.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }
}
