"""The provinces by the first two digits of a county's division code (行政区划代码, GB/T 2260):
the public table a report uses to name a province.

Examples
--------
>>> province_name("320102", "zh"), province_name("320102", "en")
('江苏', 'Jiangsu')
>>> province_name("970102", "zh")
'省级代码 97'
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["PROVINCES", "province_name"]

#: Each province-level division by its two-digit code: its Chinese and English short names.
PROVINCES: Mapping[str, tuple[str, str]] = {
    "11": ("北京", "Beijing"),
    "12": ("天津", "Tianjin"),
    "13": ("河北", "Hebei"),
    "14": ("山西", "Shanxi"),
    "15": ("内蒙古", "Inner Mongolia"),
    "21": ("辽宁", "Liaoning"),
    "22": ("吉林", "Jilin"),
    "23": ("黑龙江", "Heilongjiang"),
    "31": ("上海", "Shanghai"),
    "32": ("江苏", "Jiangsu"),
    "33": ("浙江", "Zhejiang"),
    "34": ("安徽", "Anhui"),
    "35": ("福建", "Fujian"),
    "36": ("江西", "Jiangxi"),
    "37": ("山东", "Shandong"),
    "41": ("河南", "Henan"),
    "42": ("湖北", "Hubei"),
    "43": ("湖南", "Hunan"),
    "44": ("广东", "Guangdong"),
    "45": ("广西", "Guangxi"),
    "46": ("海南", "Hainan"),
    "50": ("重庆", "Chongqing"),
    "51": ("四川", "Sichuan"),
    "52": ("贵州", "Guizhou"),
    "53": ("云南", "Yunnan"),
    "54": ("西藏", "Tibet"),
    "61": ("陕西", "Shaanxi"),
    "62": ("甘肃", "Gansu"),
    "63": ("青海", "Qinghai"),
    "64": ("宁夏", "Ningxia"),
    "65": ("新疆", "Xinjiang"),
    "71": ("台湾", "Taiwan"),
    "81": ("香港", "Hong Kong"),
    "82": ("澳门", "Macao"),
}


def province_name(code: str, lang: str = "zh") -> str:
    """The province of a county code (or of its first two digits), by name; a code outside
    the table is named by its digits."""
    found = PROVINCES.get(code[:2])
    if found is None:
        return f"省级代码 {code[:2]}" if lang == "zh" else f"province {code[:2]}"
    return found[0] if lang == "zh" else found[1]
