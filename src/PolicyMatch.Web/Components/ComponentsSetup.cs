namespace PolicyMatch.Web.Components;

public static class ComponentsSetup
{
    /// <summary>What the shared components need from the container (the views render them with the request's services).</summary>
    public static IServiceCollection AddPortalComponents(this IServiceCollection services) =>
        services.AddSingleton<CompactCardMarkup>();
}
