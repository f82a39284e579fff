# Telemetry provisioning of the Windows lab machine (Vagrantfile: win10), run elevated by Vagrant's
# shell provisioner after the file provisioner has put sysmon-config.xml into C:\atomic-lab\.
# Idempotent: `vagrant provision win10` again reapplies the configuration.
#
#  1. Sysmon with lab/windows/sysmon-config.xml (downloaded from Sysinternals inside the VM).
#  2. Security 4688 with the command line: the "Process Creation" audit subcategory (by GUID, so
#     it works on localized Windows) plus ProcessCreationIncludeCmdLine_Enabled = 1.
#  3. PowerShell script-block and module logging (4104/4103 in Microsoft-Windows-PowerShell/Operational).
#  4. Larger Sysmon, Security, Application and PowerShell channels, so a test's window is never rotated away.
#  5. The harness's working folders: C:\atomic-lab\atomics (PathToAtomicsFolder) and
#     C:\atomic-lab\ExternalPayloads (the MSIs built on the host by wixl are uploaded there).
# References: lab-recipes §7.2; https://learn.microsoft.com/en-us/windows-server/identity/ad-ds/manage/component-updates/command-line-process-auditing
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$Lab = 'C:\atomic-lab'
New-Item -ItemType Directory -Force -Path $Lab, "$Lab\atomics", "$Lab\ExternalPayloads", "$Lab\runs" | Out-Null

# --- 1. Sysmon -----------------------------------------------------------------------------------
$Config = "$Lab\sysmon-config.xml"
if (-not (Test-Path $Config)) { throw "missing $Config (the Vagrantfile's file provisioner uploads it)" }
$Installed = Get-Service -Name Sysmon64 -ErrorAction SilentlyContinue
if ($Installed) {
  & "$env:SystemRoot\Sysmon64.exe" -c $Config
} else {
  [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
  Invoke-WebRequest -UseBasicParsing -Uri 'https://download.sysinternals.com/files/Sysmon.zip' -OutFile "$Lab\Sysmon.zip"
  Expand-Archive -Force -Path "$Lab\Sysmon.zip" -DestinationPath "$Lab\Sysmon"
  & "$Lab\Sysmon\Sysmon64.exe" -accepteula -i $Config
}
if ($LASTEXITCODE -ne 0) { throw "Sysmon64 exited with $LASTEXITCODE" }

# --- 2. Process creation auditing with command lines ---------------------------------------------
# {0CCE922B-69AE-11D9-BED3-505054503030} = Process Creation, {0CCE922C-...} = Process Termination
auditpol /set /subcategory:"{0CCE922B-69AE-11D9-BED3-505054503030}" /success:enable /failure:enable
if ($LASTEXITCODE -ne 0) { throw "auditpol (Process Creation) exited with $LASTEXITCODE" }
auditpol /set /subcategory:"{0CCE922C-69AE-11D9-BED3-505054503030}" /success:enable
$Audit = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\Audit'
New-Item -Force -Path $Audit | Out-Null
Set-ItemProperty -Path $Audit -Name ProcessCreationIncludeCmdLine_Enabled -Value 1 -Type DWord

# --- 3. PowerShell logging -----------------------------------------------------------------------
$Ps = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\PowerShell'
New-Item -Force -Path "$Ps\ScriptBlockLogging", "$Ps\ModuleLogging\ModuleNames" | Out-Null
Set-ItemProperty -Path "$Ps\ScriptBlockLogging" -Name EnableScriptBlockLogging -Value 1 -Type DWord
Set-ItemProperty -Path "$Ps\ModuleLogging" -Name EnableModuleLogging -Value 1 -Type DWord
Set-ItemProperty -Path "$Ps\ModuleLogging\ModuleNames" -Name '*' -Value '*' -Type String

# --- 4. Channel sizes (bytes) ----------------------------------------------------------------------
foreach ($Channel in 'Microsoft-Windows-Sysmon/Operational', 'Security', 'Application', 'Microsoft-Windows-PowerShell/Operational') {
  wevtutil sl $Channel /ms:1073741824
  if ($LASTEXITCODE -ne 0) { throw "wevtutil sl $Channel exited with $LASTEXITCODE" }
}

Write-Output "atomic-lab: telemetry provisioning done (Sysmon $((Get-Item "$env:SystemRoot\Sysmon64.exe").VersionInfo.FileVersion))"
