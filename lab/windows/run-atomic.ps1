# Runs one atomic test on a Windows lab machine and collects what it left behind: the Windows
# counterpart of lab/linux/run-atomic.sh, used by the vagrant target (through `vagrant winrm`) and
# by ssh targets with platform: windows (through OpenSSH). Windows PowerShell 5.1.
#
#   powershell.exe -NoProfile -ExecutionPolicy Bypass -File run-atomic.ps1 -Job <dir> -Out <dir> -Marker <guid>
#
# <Job>\job.json (harness/targets/ssh/windows-job.ts): runId, executor (command_prompt |
#   powershell), command (null: check the prerequisites only), cleanup, timeoutSec, dependencies [{id, check, get, executor}], getPrereqs,
#   collect [paths], env {name: value}, listenerPort (0 = none), channels [event log names].
# <Out> (read back by harness/targets/ssh/runner-output.ts, same format as the Linux runner):
#   status (key=value lines: step.<step>.started/.finished as epoch seconds, .rc; prereq.<id>),
#   <step>.stdout/.stderr, collected\<path with \ and : escaped>, callbacks.jsonl, and one event XML
#   file per channel (`wevtutil qe <channel> /q:<run window> /f:xml /e:Events`).
# The -Marker argument puts the run marker on this runner's own command line, so every process
# the test starts has it in its ancestry.
param(
  [Parameter(Mandatory = $true)] [string] $Job,
  [Parameter(Mandatory = $true)] [string] $Out,
  [Parameter(Mandatory = $true)] [string] $Marker
)
$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Force -Path $Out, "$Out\collected", "$Job\work" | Out-Null
$Spec = Get-Content -Raw -Path "$Job\job.json" | ConvertFrom-Json
$Status = "$Out\status"

function Epoch { ([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString('F3', [Globalization.CultureInfo]::InvariantCulture) }
function Status([string] $Key, [string] $Value) { Add-Content -Path $Status -Value "$Key=$Value" -Encoding Ascii }
function WinTime([DateTime] $t) { $t.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [Globalization.CultureInfo]::InvariantCulture) }

Status run_id $Spec.runId
Status hostname $env:COMPUTERNAME
Status kernel ([Environment]::OSVersion.VersionString)
Status timeout $Spec.timeoutSec
foreach ($p in $Spec.env.PSObject.Properties) { [Environment]::SetEnvironmentVariable($p.Name, [string] $p.Value, 'Process') }

# Step: the executor invocation Invoke-AtomicRedTeam builds (reference/atomics.md §3.2):
# command_prompt = cmd.exe /c "<lines joined with ' & '>" (prerequisites: ' && ');
# powershell = powershell.exe -NoProfile -Command "& {<script>}". Killed with its tree on timeout.
function Step([string] $Name, [string] $Executor, [string] $Script, [string] $Join) {
  if ($Executor -eq 'command_prompt') {
    $line = (($Script -split "`r?`n") | ForEach-Object { $_.Trim() } | Where-Object { $_ }) -join $Join
    $file = "$env:SystemRoot\System32\cmd.exe"; $arguments = "/c `"$line`""
  } else {
    $file = "$env:SystemRoot\System32\WindowsPowerShell\v1.0\powershell.exe"
    $arguments = '-NoProfile -Command "& {' + ($Script -replace '"', '\"') + '}"'
  }
  Status "step.$Name.started" (Epoch)
  $p = Start-Process -FilePath $file -ArgumentList $arguments -WorkingDirectory "$Job\work" -NoNewWindow -PassThru `
    -RedirectStandardOutput "$Out\$Name.stdout" -RedirectStandardError "$Out\$Name.stderr"
  $null = $p.Handle   # keep the handle so ExitCode stays readable after exit
  if (-not $p.WaitForExit([int] $Spec.timeoutSec * 1000)) {
    & taskkill.exe /T /F /PID $p.Id | Out-Null
    $p.WaitForExit()
    $rc = 137   # the Linux runner's "killed on timeout" code, read the same way by the harness
  } else { $rc = $p.ExitCode }
  Status "step.$Name.finished" (Epoch)
  Status "step.$Name.rc" $rc
  return $rc
}

# --- prerequisites ------------------------------------------------------------------------------
$Prereqs = 'met'
foreach ($d in $Spec.dependencies) {
  if ((Step "prereq-$($d.id)-check" $d.executor $d.check ' && ') -eq 0) { Status "prereq.$($d.id)" met; continue }
  if ($Spec.getPrereqs -and $d.get) {
    $null = Step "prereq-$($d.id)-get" $d.executor $d.get ' && '
    if ((Step "prereq-$($d.id)-recheck" $d.executor $d.check ' && ') -eq 0) { Status "prereq.$($d.id)" fetched; continue }
  }
  Status "prereq.$($d.id)" missing; $Prereqs = 'missing'
}
Status prereqs $Prereqs
# no command: a prerequisite-only job
if ($Prereqs -ne 'met' -or -not $Spec.command) { Status done (Epoch); exit 0 }

# --- listener on loopback (lab/windows/listener.ps1), then the test -------------------------------
$Listener = $null
if ([int] $Spec.listenerPort -gt 0) {
  $Listener = Start-Process -FilePath powershell.exe -PassThru -WindowStyle Hidden -ArgumentList @(
    '-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', "`"$Job\listener.ps1`"", '-Port', $Spec.listenerPort,
    '-Log', "`"$Out\callbacks.jsonl`"", '-Ready', "`"$Out\listener.ready`"", '-Serve', "`"$Job\..\ExternalPayloads`"")
  for ($i = 0; $i -lt 100 -and -not (Test-Path "$Out\listener.ready"); $i++) { Start-Sleep -Milliseconds 100 }
  if (Test-Path "$Out\listener.ready") { Status listener $Spec.listenerPort; Remove-Item "$Out\listener.ready" } else { Status listener failed }
}
$WindowStart = (Get-Date).AddSeconds(-1)
$null = Step test $Spec.executor $Spec.command ' & '
Start-Sleep -Seconds 2   # Sysmon and the event log write asynchronously
$WindowEnd = Get-Date

foreach ($p in $Spec.collect) {
  if (Test-Path -LiteralPath $p -PathType Leaf) {
    Copy-Item -LiteralPath $p -Destination ("$Out\collected\" + ($p -replace '\\', '%5C' -replace ':', '%3A'))
    Status collected $p
  }
}
if ($Listener) { Stop-Process -Id $Listener.Id -Force -ErrorAction SilentlyContinue }

# --- telemetry of the run window, one XML document per channel --------------------------------------
$Query = "*[System[TimeCreated[@SystemTime>='$(WinTime $WindowStart)' and @SystemTime<='$(WinTime $WindowEnd)']]]"
Status window "$(WinTime $WindowStart) $(WinTime $WindowEnd)"
foreach ($c in $Spec.channels) {
  $name = ($c -replace '^Microsoft-Windows-', '' -replace '/.*$', '').ToLowerInvariant()
  $xml = & wevtutil.exe qe $c "/q:$Query" /f:xml /e:Events
  if ($LASTEXITCODE -eq 0) { [IO.File]::WriteAllText("$Out\$name.xml", ($xml -join "`n"), (New-Object Text.UTF8Encoding $false)); Status "channel.$name" $c }
  else { Status "channel.$name" "failed $LASTEXITCODE" }
}

# --- cleanup ---------------------------------------------------------------------------------------
if ($Spec.cleanup) { $null = Step cleanup $Spec.executor $Spec.cleanup ' & ' }
Status done (Epoch)
