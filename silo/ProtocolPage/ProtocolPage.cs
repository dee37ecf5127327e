using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace OrleansNodes.Silo;

/// <summary>
/// <c>GET /protocol/</c>: a live page of every cluster, its leader and, per node, role, ballot,
/// log indexes, queues, flush time, silo and whether it answers, drawn in the browser from
/// <c>GET /status</c>, which it polls about once a second. Its files (an HTML page, a style sheet
/// and a script, beside this file) are embedded in the silo's assembly, so a silo installed or
/// published anywhere serves them with no wwwroot folder and no internet. It is under the
/// dashboard's rule (<see cref="DashboardAuthentication"/>): open on loopback, behind the
/// dashboard's credentials elsewhere.
/// </summary>
public static class ProtocolPage
{
    private const string ResourcePrefix = "ProtocolPage/";

    private static readonly FrozenDictionary<string, Asset> Assets = new Dictionary<string, Asset>
    {
        ["index.html"] = Load("index.html", "text/html; charset=utf-8"),
        ["protocol.css"] = Load("protocol.css", "text/css; charset=utf-8"),
        ["protocol.js"] = Load("protocol.js", "text/javascript; charset=utf-8"),
    }.ToFrozenDictionary();

    /// <summary>Maps <c>/protocol/</c> (the page), its two other files, and <c>/protocol</c>, which redirects to the page.</summary>
    public static void MapProtocolPage(this IEndpointRouteBuilder app)
    {
        // Routing lets /protocol and /protocol/ both reach this endpoint. The page's links are
        // relative (protocol.js, ../status), so they need the slash: without it the redirect adds
        // it, itself relative, so it holds behind a proxy that serves the silo under a prefix.
        app.MapGet("/protocol", (HttpContext context) =>
            context.Request.Path.Value!.EndsWith('/') ? Serve(context, "index.html") : Results.Redirect("protocol/"));
        app.MapGet("/protocol/{file}", (HttpContext context, string file) => Serve(context, file));
    }

    private static IResult Serve(HttpContext context, string file)
    {
        if (!Assets.TryGetValue(file, out var asset)) return Results.NotFound();
        var headers = context.Response.Headers;
        // Revalidated on every load (a 304 while unchanged), so a browser never pairs an upgraded
        // silo's page with an old script.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        // The page shows text that comes from the cluster: it runs only its own script and talks
        // only to its own silo, whatever that text holds.
        headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
        return Results.Bytes(asset.Body, asset.ContentType, entityTag: asset.ETag);
    }

    private static Asset Load(string file, string contentType)
    {
        using var stream = typeof(ProtocolPage).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException($"the silo was built without its protocol page file {file}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var body = copy.ToArray();
        var hash = Convert.ToHexString(SHA256.HashData(body), 0, 8);
        return new Asset(body, contentType, new EntityTagHeaderValue($"\"{hash}\""));
    }

    private sealed record Asset(byte[] Body, string ContentType, EntityTagHeaderValue ETag);
}
