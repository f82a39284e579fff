@echo off
rem AtomicLab Vendor Tool: post-install configuration (writes settings, registers the product).
echo [Settings]> "%~dp0settings.ini"
echo Configured=1>> "%~dp0settings.ini"
reg add "HKLM\Software\AtomicLabVendor\VendorTool" /v Configured /t REG_DWORD /d 1 /f >nul
exit /b 0
