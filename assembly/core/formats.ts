// Record shapes the parser recognises; the name goes into anomaly.format.
export const FORMAT_JSON: u8 = 0;
export const FORMAT_SYSLOG3164: u8 = 1;
export const FORMAT_SYSLOG5424: u8 = 2;
export const FORMAT_NGINX_ACCESS: u8 = 3;
export const FORMAT_NGINX_ERROR: u8 = 4;
export const FORMAT_APACHE_ACCESS: u8 = 5;
export const FORMAT_APACHE_ERROR: u8 = 6;
export const FORMAT_LOGFMT: u8 = 7;
export const FORMAT_KLOG: u8 = 8;
export const FORMAT_CRI: u8 = 9;
export const FORMAT_APP: u8 = 10;
export const FORMAT_TEXT: u8 = 11;

/** input.format's short names, each standing for one format. */
export const FORMAT_ALIASES: string[] = ["syslog", "nginx", "apache"];
export const FORMAT_ALIASED: u8[] = [FORMAT_SYSLOG3164, FORMAT_NGINX_ACCESS, FORMAT_APACHE_ACCESS];

export function formatName(f: u8): string {
  switch (f) {
    case FORMAT_JSON: return "json";
    case FORMAT_SYSLOG3164: return "syslog-rfc3164";
    case FORMAT_SYSLOG5424: return "syslog-rfc5424";
    case FORMAT_NGINX_ACCESS: return "nginx-access";
    case FORMAT_NGINX_ERROR: return "nginx-error";
    case FORMAT_APACHE_ACCESS: return "apache-access";
    case FORMAT_APACHE_ERROR: return "apache-error";
    case FORMAT_LOGFMT: return "logfmt";
    case FORMAT_KLOG: return "klog";
    case FORMAT_CRI: return "cri";
    case FORMAT_APP: return "app";
    default: return "text";
  }
}
