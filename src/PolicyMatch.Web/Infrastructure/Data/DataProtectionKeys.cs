using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace PolicyMatch.Web.Infrastructure.Data;

/// <summary>
/// The data-protection key ring in the portal's database (table data_protection_keys, migration
/// 0006), so every web node protects and unprotects auth cookies and antiforgery tokens with the same
/// keys: a login on one node is valid on the others, and restarts keep everyone logged in. The keys are
/// stored as the framework writes them (XML); whoever can read the database can read them, as with the
/// file system default, so the database is the thing to protect.
/// </summary>
public sealed class DbXmlRepository(IDbConnectionFactory connections, TimeProvider clock) : IXmlRepository
{
    // IXmlRepository is synchronous; the framework calls it rarely (start, key rotation) and caches the ring.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = connections.OpenAsync().GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name")
            .Select(XElement.Parse)
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = connections.OpenAsync().GetAwaiter().GetResult();
        // Two nodes creating the first key at once both keep theirs: names are unique GUIDs, and a
        // ring may hold several keys; the newest active one is used for protecting.
        connection.Execute("""
            INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@Name, @Xml, @Now)
            ON CONFLICT (name) DO NOTHING
            """, new { Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), Now = Stamp.Now(clock) });
    }
}

public static class DataProtectionSetup
{
    /// <summary>One application name on every node, and the key ring in the database.</summary>
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("PolicyMatch");
        services.AddSingleton<DbXmlRepository>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<DbXmlRepository>()));
        return services;
    }
}
