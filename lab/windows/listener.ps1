# atomic-lab callback listener for Windows lab machines: the counterpart of
# harness/targets/listener.py (which needs Python, absent from Windows). A loopback HTTP server
# (System.Net.HttpListener on http://127.0.0.1:<Port>/) that answers every request and appends one
# JSON line per request to <Log>, with the same fields as listener.py: time (UTC, ms), method,
# path, query, marker (the `marker` query value), client, user_agent, status, bytes.
# It serves the files under -Serve (test 4 installs its MSI from here); any other path gets a body
# that is a PowerShell comment, so a download cradle that runs it with IEX does nothing.
param(
  [Parameter(Mandatory = $true)] [int] $Port,
  [Parameter(Mandatory = $true)] [string] $Log,
  [Parameter(Mandatory = $true)] [string] $Ready,
  [string] $Serve = ''
)
$ErrorActionPreference = 'Stop'
Add-Type -AssemblyName System.Web
$http = New-Object System.Net.HttpListener
$http.Prefixes.Add("http://127.0.0.1:$Port/")
$http.Start()
Set-Content -Path $Ready -Value $Port -Encoding Ascii
$comment = [Text.Encoding]::UTF8.GetBytes("# atomic-lab callback received`n")
$utf8 = New-Object Text.UTF8Encoding $false
$root = if ($Serve -and (Test-Path -LiteralPath $Serve)) { (Resolve-Path -LiteralPath $Serve).Path.TrimEnd('\') } else { '' }
while ($http.IsListening) {
  $ctx = $http.GetContext()
  $req = $ctx.Request
  $query = [ordered]@{}
  $parsed = [Web.HttpUtility]::ParseQueryString($req.Url.Query)
  foreach ($k in $parsed.AllKeys) { if ($k) { $v = $parsed.GetValues($k); $query[$k] = if ($v.Count -gt 1) { $v } else { $v[0] } } }
XX
  $ctx.Response.ContentLength64 = $body.Length
  if ($sent) { $ctx.Response.OutputStream.Write($body, 0, $body.Length) }
  $ctx.Response.Close()
  $record = [ordered]@{
    time = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [Globalization.CultureInfo]::InvariantCulture)
    method = $req.HttpMethod; path = $req.Url.AbsolutePath; query = $query
    marker = $parsed['marker']; client = $req.RemoteEndPoint.Address.ToString(); user_agent = $req.UserAgent
    status = 200; bytes = $sent
  }
  [IO.File]::AppendAllText($Log, (($record | ConvertTo-Json -Compress -Depth 4) + "`n"), $utf8)
}
